import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 770:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

/* unused reexport */ __nccwpck_require__(218);


/***/ }),

/***/ 218:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var net = __nccwpck_require__(278);
var tls = __nccwpck_require__(756);
var http = __nccwpck_require__(611);
var https = __nccwpck_require__(692);
var events = __nccwpck_require__(434);
var assert = __nccwpck_require__(613);
var util = __nccwpck_require__(23);


__webpack_unused_export__ = httpOverHttp;
__webpack_unused_export__ = httpsOverHttp;
__webpack_unused_export__ = httpOverHttps;
__webpack_unused_export__ = httpsOverHttps;


function httpOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  return agent;
}

function httpsOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}

function httpOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  return agent;
}

function httpsOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}


function TunnelingAgent(options) {
  var self = this;
  self.options = options || {};
  self.proxyOptions = self.options.proxy || {};
  self.maxSockets = self.options.maxSockets || http.Agent.defaultMaxSockets;
  self.requests = [];
  self.sockets = [];

  self.on('free', function onFree(socket, host, port, localAddress) {
    var options = toOptions(host, port, localAddress);
    for (var i = 0, len = self.requests.length; i < len; ++i) {
      var pending = self.requests[i];
      if (pending.host === options.host && pending.port === options.port) {
        // Detect the request to connect same origin server,
        // reuse the connection.
        self.requests.splice(i, 1);
        pending.request.onSocket(socket);
        return;
      }
    }
    socket.destroy();
    self.removeSocket(socket);
  });
}
util.inherits(TunnelingAgent, events.EventEmitter);

TunnelingAgent.prototype.addRequest = function addRequest(req, host, port, localAddress) {
  var self = this;
  var options = mergeOptions({request: req}, self.options, toOptions(host, port, localAddress));

  if (self.sockets.length >= this.maxSockets) {
    // We are over limit so we'll add it to the queue.
    self.requests.push(options);
    return;
  }

  // If we are under maxSockets create a new one.
  self.createSocket(options, function(socket) {
    socket.on('free', onFree);
    socket.on('close', onCloseOrRemove);
    socket.on('agentRemove', onCloseOrRemove);
    req.onSocket(socket);

    function onFree() {
      self.emit('free', socket, options);
    }

    function onCloseOrRemove(err) {
      self.removeSocket(socket);
      socket.removeListener('free', onFree);
      socket.removeListener('close', onCloseOrRemove);
      socket.removeListener('agentRemove', onCloseOrRemove);
    }
  });
};

TunnelingAgent.prototype.createSocket = function createSocket(options, cb) {
  var self = this;
  var placeholder = {};
  self.sockets.push(placeholder);

  var connectOptions = mergeOptions({}, self.proxyOptions, {
    method: 'CONNECT',
    path: options.host + ':' + options.port,
    agent: false,
    headers: {
      host: options.host + ':' + options.port
    }
  });
  if (options.localAddress) {
    connectOptions.localAddress = options.localAddress;
  }
  if (connectOptions.proxyAuth) {
    connectOptions.headers = connectOptions.headers || {};
    connectOptions.headers['Proxy-Authorization'] = 'Basic ' +
        new Buffer(connectOptions.proxyAuth).toString('base64');
  }

  debug('making CONNECT request');
  var connectReq = self.request(connectOptions);
  connectReq.useChunkedEncodingByDefault = false; // for v0.6
  connectReq.once('response', onResponse); // for v0.6
  connectReq.once('upgrade', onUpgrade);   // for v0.6
  connectReq.once('connect', onConnect);   // for v0.7 or later
  connectReq.once('error', onError);
  connectReq.end();

  function onResponse(res) {
    // Very hacky. This is necessary to avoid http-parser leaks.
    res.upgrade = true;
  }

  function onUpgrade(res, socket, head) {
    // Hacky.
    process.nextTick(function() {
      onConnect(res, socket, head);
    });
  }

  function onConnect(res, socket, head) {
    connectReq.removeAllListeners();
    socket.removeAllListeners();

    if (res.statusCode !== 200) {
      debug('tunneling socket could not be established, statusCode=%d',
        res.statusCode);
      socket.destroy();
      var error = new Error('tunneling socket could not be established, ' +
        'statusCode=' + res.statusCode);
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    if (head.length > 0) {
      debug('got illegal response body from proxy');
      socket.destroy();
      var error = new Error('got illegal response body from proxy');
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    debug('tunneling connection has established');
    self.sockets[self.sockets.indexOf(placeholder)] = socket;
    return cb(socket);
  }

  function onError(cause) {
    connectReq.removeAllListeners();

    debug('tunneling socket could not be established, cause=%s\n',
          cause.message, cause.stack);
    var error = new Error('tunneling socket could not be established, ' +
                          'cause=' + cause.message);
    error.code = 'ECONNRESET';
    options.request.emit('error', error);
    self.removeSocket(placeholder);
  }
};

TunnelingAgent.prototype.removeSocket = function removeSocket(socket) {
  var pos = this.sockets.indexOf(socket)
  if (pos === -1) {
    return;
  }
  this.sockets.splice(pos, 1);

  var pending = this.requests.shift();
  if (pending) {
    // If we have pending requests and a socket gets closed a new one
    // needs to be created to take over in the pool for the one that closed.
    this.createSocket(pending, function(socket) {
      pending.request.onSocket(socket);
    });
  }
};

function createSecureSocket(options, cb) {
  var self = this;
  TunnelingAgent.prototype.createSocket.call(self, options, function(socket) {
    var hostHeader = options.request.getHeader('host');
    var tlsOptions = mergeOptions({}, self.options, {
      socket: socket,
      servername: hostHeader ? hostHeader.replace(/:.*$/, '') : options.host
    });

    // 0 is dummy port for v0.6
    var secureSocket = tls.connect(0, tlsOptions);
    self.sockets[self.sockets.indexOf(socket)] = secureSocket;
    cb(secureSocket);
  });
}


function toOptions(host, port, localAddress) {
  if (typeof host === 'string') { // since v0.10
    return {
      host: host,
      port: port,
      localAddress: localAddress
    };
  }
  return host; // for v0.11 or later
}

function mergeOptions(target) {
  for (var i = 1, len = arguments.length; i < len; ++i) {
    var overrides = arguments[i];
    if (typeof overrides === 'object') {
      var keys = Object.keys(overrides);
      for (var j = 0, keyLen = keys.length; j < keyLen; ++j) {
        var k = keys[j];
        if (overrides[k] !== undefined) {
          target[k] = overrides[k];
        }
      }
    }
  }
  return target;
}


var debug;
if (process.env.NODE_DEBUG && /\btunnel\b/.test(process.env.NODE_DEBUG)) {
  debug = function() {
    var args = Array.prototype.slice.call(arguments);
    if (typeof args[0] === 'string') {
      args[0] = 'TUNNEL: ' + args[0];
    } else {
      args.unshift('TUNNEL:');
    }
    console.error.apply(console, args);
  }
} else {
  debug = function() {};
}
__webpack_unused_export__ = debug; // for test


/***/ }),

/***/ 407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(846);

await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)();
// The work is done and every output is written. Whatever still holds the event loop now (a proxy's
// socket, a server that keeps a connection open, a stray timer) must not hold the job: after a
// grace period, flush stdout and exit with the code run() set. Unref'd, so it never delays an exit.
setTimeout(() => process.stdout.write('', () => process.exit()), 1000).unref();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 846:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function utils_toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function utils_toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function command_issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_namespaceObject.EOL);
}
function command_issue(name, message = '') {
    command_issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function file_command_issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_namespaceObject.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_namespaceObject.appendFileSync(filePath, `${utils_toCommandValue(message)}${external_os_namespaceObject.EOL}`, {
        encoding: 'utf8'
    });
}
function file_command_prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = utils_toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_namespaceObject.EOL}${convertedValue}${external_os_namespaceObject.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
// EXTERNAL MODULE: external "http"
var external_http_ = __nccwpck_require__(611);
// EXTERNAL MODULE: external "https"
var external_https_ = __nccwpck_require__(692);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/proxy.js
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map
// EXTERNAL MODULE: ./node_modules/tunnel/index.js
var node_modules_tunnel = __nccwpck_require__(770);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/index.js
/* eslint-disable @typescript-eslint/no-explicit-any */
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};





var HttpCodes;
(function (HttpCodes) {
    HttpCodes[HttpCodes["OK"] = 200] = "OK";
    HttpCodes[HttpCodes["MultipleChoices"] = 300] = "MultipleChoices";
    HttpCodes[HttpCodes["MovedPermanently"] = 301] = "MovedPermanently";
    HttpCodes[HttpCodes["ResourceMoved"] = 302] = "ResourceMoved";
    HttpCodes[HttpCodes["SeeOther"] = 303] = "SeeOther";
    HttpCodes[HttpCodes["NotModified"] = 304] = "NotModified";
    HttpCodes[HttpCodes["UseProxy"] = 305] = "UseProxy";
    HttpCodes[HttpCodes["SwitchProxy"] = 306] = "SwitchProxy";
    HttpCodes[HttpCodes["TemporaryRedirect"] = 307] = "TemporaryRedirect";
    HttpCodes[HttpCodes["PermanentRedirect"] = 308] = "PermanentRedirect";
    HttpCodes[HttpCodes["BadRequest"] = 400] = "BadRequest";
    HttpCodes[HttpCodes["Unauthorized"] = 401] = "Unauthorized";
    HttpCodes[HttpCodes["PaymentRequired"] = 402] = "PaymentRequired";
    HttpCodes[HttpCodes["Forbidden"] = 403] = "Forbidden";
    HttpCodes[HttpCodes["NotFound"] = 404] = "NotFound";
    HttpCodes[HttpCodes["MethodNotAllowed"] = 405] = "MethodNotAllowed";
    HttpCodes[HttpCodes["NotAcceptable"] = 406] = "NotAcceptable";
    HttpCodes[HttpCodes["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
    HttpCodes[HttpCodes["RequestTimeout"] = 408] = "RequestTimeout";
    HttpCodes[HttpCodes["Conflict"] = 409] = "Conflict";
    HttpCodes[HttpCodes["Gone"] = 410] = "Gone";
    HttpCodes[HttpCodes["TooManyRequests"] = 429] = "TooManyRequests";
    HttpCodes[HttpCodes["InternalServerError"] = 500] = "InternalServerError";
    HttpCodes[HttpCodes["NotImplemented"] = 501] = "NotImplemented";
    HttpCodes[HttpCodes["BadGateway"] = 502] = "BadGateway";
    HttpCodes[HttpCodes["ServiceUnavailable"] = 503] = "ServiceUnavailable";
    HttpCodes[HttpCodes["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function (Headers) {
    Headers["Accept"] = "accept";
    Headers["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function (MediaTypes) {
    MediaTypes["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
/**
 * Returns the proxy URL, depending upon the supplied url and proxy environment variables.
 * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
 */
function lib_getProxyUrl(serverUrl) {
    const proxyUrl = pm.getProxyUrl(new URL(serverUrl));
    return proxyUrl ? proxyUrl.href : '';
}
const HttpRedirectCodes = [
    HttpCodes.MovedPermanently,
    HttpCodes.ResourceMoved,
    HttpCodes.SeeOther,
    HttpCodes.TemporaryRedirect,
    HttpCodes.PermanentRedirect
];
const HttpResponseRetryCodes = [
    HttpCodes.BadGateway,
    HttpCodes.ServiceUnavailable,
    HttpCodes.GatewayTimeout
];
const RetryableHttpVerbs = (/* unused pure expression or super */ null && (['OPTIONS', 'GET', 'DELETE', 'HEAD']));
const ExponentialBackoffCeiling = 10;
const ExponentialBackoffTimeSlice = 5;
class HttpClientError extends Error {
    constructor(message, statusCode) {
        super(message);
        this.name = 'HttpClientError';
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, HttpClientError.prototype);
    }
}
class HttpClientResponse {
    constructor(message) {
        this.message = message;
    }
    readBody() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                let output = Buffer.alloc(0);
                this.message.on('data', (chunk) => {
                    output = Buffer.concat([output, chunk]);
                });
                this.message.on('end', () => {
                    resolve(output.toString());
                });
            }));
        });
    }
    readBodyBuffer() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                const chunks = [];
                this.message.on('data', (chunk) => {
                    chunks.push(chunk);
                });
                this.message.on('end', () => {
                    resolve(Buffer.concat(chunks));
                });
            }));
        });
    }
}
function isHttps(requestUrl) {
    const parsedUrl = new URL(requestUrl);
    return parsedUrl.protocol === 'https:';
}
class lib_HttpClient {
    constructor(userAgent, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
            if (requestOptions.ignoreSslError != null) {
                this._ignoreSslError = requestOptions.ignoreSslError;
            }
            this._socketTimeout = requestOptions.socketTimeout;
            if (requestOptions.allowRedirects != null) {
                this._allowRedirects = requestOptions.allowRedirects;
            }
            if (requestOptions.allowRedirectDowngrade != null) {
                this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
            }
            if (requestOptions.maxRedirects != null) {
                this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
            }
            if (requestOptions.keepAlive != null) {
                this._keepAlive = requestOptions.keepAlive;
            }
            if (requestOptions.allowRetries != null) {
                this._allowRetries = requestOptions.allowRetries;
            }
            if (requestOptions.maxRetries != null) {
                this._maxRetries = requestOptions.maxRetries;
            }
        }
    }
    options(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('OPTIONS', requestUrl, null, additionalHeaders || {});
        });
    }
    get(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('GET', requestUrl, null, additionalHeaders || {});
        });
    }
    del(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('DELETE', requestUrl, null, additionalHeaders || {});
        });
    }
    post(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('POST', requestUrl, data, additionalHeaders || {});
        });
    }
    patch(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PATCH', requestUrl, data, additionalHeaders || {});
        });
    }
    put(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PUT', requestUrl, data, additionalHeaders || {});
        });
    }
    head(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('HEAD', requestUrl, null, additionalHeaders || {});
        });
    }
    sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request(verb, requestUrl, stream, additionalHeaders);
        });
    }
    /**
     * Gets a typed object from an endpoint
     * Be aware that not found returns a null.  Other errors (4xx, 5xx) reject the promise
     */
    getJson(requestUrl_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            const res = yield this.get(requestUrl, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    postJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.post(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    putJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.put(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    patchJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.patch(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    /**
     * Makes a raw http request.
     * All other methods such as get, post, patch, and request ultimately call this.
     * Prefer get, del, post and patch
     */
    request(verb, requestUrl, data, headers) {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._disposed) {
                throw new Error('Client has already been disposed.');
            }
            const parsedUrl = new URL(requestUrl);
            let info = this._prepareRequest(verb, parsedUrl, headers);
            // Only perform retries on reads since writes may not be idempotent.
            const maxTries = this._allowRetries && RetryableHttpVerbs.includes(verb)
                ? this._maxRetries + 1
                : 1;
            let numTries = 0;
            let response;
            do {
                response = yield this.requestRaw(info, data);
                // Check if it's an authentication challenge
                if (response &&
                    response.message &&
                    response.message.statusCode === HttpCodes.Unauthorized) {
                    let authenticationHandler;
                    for (const handler of this.handlers) {
                        if (handler.canHandleAuthentication(response)) {
                            authenticationHandler = handler;
                            break;
                        }
                    }
                    if (authenticationHandler) {
                        return authenticationHandler.handleAuthentication(this, info, data);
                    }
                    else {
                        // We have received an unauthorized response but have no handlers to handle it.
                        // Let the response return to the caller.
                        return response;
                    }
                }
                let redirectsRemaining = this._maxRedirects;
                while (response.message.statusCode &&
                    HttpRedirectCodes.includes(response.message.statusCode) &&
                    this._allowRedirects &&
                    redirectsRemaining > 0) {
                    const redirectUrl = response.message.headers['location'];
                    if (!redirectUrl) {
                        // if there's no location to redirect to, we won't
                        break;
                    }
                    const parsedRedirectUrl = new URL(redirectUrl);
                    if (parsedUrl.protocol === 'https:' &&
                        parsedUrl.protocol !== parsedRedirectUrl.protocol &&
                        !this._allowRedirectDowngrade) {
                        throw new Error('Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.');
                    }
                    // we need to finish reading the response before reassigning response
                    // which will leak the open socket.
                    yield response.readBody();
                    // strip authorization header if redirected to a different hostname
                    if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                        for (const header in headers) {
                            // header names are case insensitive
                            if (header.toLowerCase() === 'authorization') {
                                delete headers[header];
                            }
                        }
                    }
                    // let's make the request with the new redirectUrl
                    info = this._prepareRequest(verb, parsedRedirectUrl, headers);
                    response = yield this.requestRaw(info, data);
                    redirectsRemaining--;
                }
                if (!response.message.statusCode ||
                    !HttpResponseRetryCodes.includes(response.message.statusCode)) {
                    // If not a retry code, return immediately instead of retrying
                    return response;
                }
                numTries += 1;
                if (numTries < maxTries) {
                    yield response.readBody();
                    yield this._performExponentialBackoff(numTries);
                }
            } while (numTries < maxTries);
            return response;
        });
    }
    /**
     * Needs to be called if keepAlive is set to true in request options.
     */
    dispose() {
        if (this._agent) {
            this._agent.destroy();
        }
        this._disposed = true;
    }
    /**
     * Raw request.
     * @param info
     * @param data
     */
    requestRaw(info, data) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => {
                function callbackForResult(err, res) {
                    if (err) {
                        reject(err);
                    }
                    else if (!res) {
                        // If `err` is not passed, then `res` must be passed.
                        reject(new Error('Unknown error'));
                    }
                    else {
                        resolve(res);
                    }
                }
                this.requestRawWithCallback(info, data, callbackForResult);
            });
        });
    }
    /**
     * Raw request with callback.
     * @param info
     * @param data
     * @param onResult
     */
    requestRawWithCallback(info, data, onResult) {
        if (typeof data === 'string') {
            if (!info.options.headers) {
                info.options.headers = {};
            }
            info.options.headers['Content-Length'] = Buffer.byteLength(data, 'utf8');
        }
        let callbackCalled = false;
        function handleResult(err, res) {
            if (!callbackCalled) {
                callbackCalled = true;
                onResult(err, res);
            }
        }
        const req = info.httpModule.request(info.options, (msg) => {
            const res = new HttpClientResponse(msg);
            handleResult(undefined, res);
        });
        let socket;
        req.on('socket', sock => {
            socket = sock;
        });
        // If we ever get disconnected, we want the socket to timeout eventually
        req.setTimeout(this._socketTimeout || 3 * 60000, () => {
            if (socket) {
                socket.end();
            }
            handleResult(new Error(`Request timeout: ${info.options.path}`));
        });
        req.on('error', function (err) {
            // err has statusCode property
            // res should have headers
            handleResult(err);
        });
        if (data && typeof data === 'string') {
            req.write(data, 'utf8');
        }
        if (data && typeof data !== 'string') {
            data.on('close', function () {
                req.end();
            });
            data.pipe(req);
        }
        else {
            req.end();
        }
    }
    /**
     * Gets an http agent. This function is useful when you need an http agent that handles
     * routing through a proxy server - depending upon the url and proxy environment variables.
     * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
     */
    getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
    }
    getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = pm.getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
            return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
    }
    _prepareRequest(method, requestUrl, headers) {
        const info = {};
        info.parsedUrl = requestUrl;
        const usingSsl = info.parsedUrl.protocol === 'https:';
        info.httpModule = usingSsl ? https : http;
        const defaultPort = usingSsl ? 443 : 80;
        info.options = {};
        info.options.host = info.parsedUrl.hostname;
        info.options.port = info.parsedUrl.port
            ? parseInt(info.parsedUrl.port)
            : defaultPort;
        info.options.path =
            (info.parsedUrl.pathname || '') + (info.parsedUrl.search || '');
        info.options.method = method;
        info.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
            info.options.headers['user-agent'] = this.userAgent;
        }
        info.options.agent = this._getAgent(info.parsedUrl);
        // gives handlers an opportunity to participate
        if (this.handlers) {
            for (const handler of this.handlers) {
                handler.prepareRequest(info.options);
            }
        }
        return info;
    }
    _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
            return Object.assign({}, lowercaseKeys(this.requestOptions.headers), lowercaseKeys(headers || {}));
        }
        return lowercaseKeys(headers || {});
    }
    /**
     * Gets an existing header value or returns a default.
     * Handles converting number header values to strings since HTTP headers must be strings.
     * Note: This returns string | string[] since some headers can have multiple values.
     * For headers that must always be a single string (like Content-Type), use the
     * specialized _getExistingOrDefaultContentTypeHeader method instead.
     */
    _getExistingOrDefaultHeader(additionalHeaders, header, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[header];
            if (headerValue) {
                clientHeader =
                    typeof headerValue === 'number' ? headerValue.toString() : headerValue;
            }
        }
        const additionalValue = additionalHeaders[header];
        if (additionalValue !== undefined) {
            return typeof additionalValue === 'number'
                ? additionalValue.toString()
                : additionalValue;
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    /**
     * Specialized version of _getExistingOrDefaultHeader for Content-Type header.
     * Always returns a single string (not an array) since Content-Type should be a single value.
     * Converts arrays to comma-separated strings and numbers to strings to ensure type safety.
     * This was split from _getExistingOrDefaultHeader to provide stricter typing for callers
     * that assign the result to places expecting a string (e.g., additionalHeaders[Headers.ContentType]).
     */
    _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[Headers.ContentType];
            if (headerValue) {
                if (typeof headerValue === 'number') {
                    clientHeader = String(headerValue);
                }
                else if (Array.isArray(headerValue)) {
                    clientHeader = headerValue.join(', ');
                }
                else {
                    clientHeader = headerValue;
                }
            }
        }
        const additionalValue = additionalHeaders[Headers.ContentType];
        // Return the first non-undefined value, converting numbers or arrays to strings if necessary
        if (additionalValue !== undefined) {
            if (typeof additionalValue === 'number') {
                return String(additionalValue);
            }
            else if (Array.isArray(additionalValue)) {
                return additionalValue.join(', ');
            }
            else {
                return additionalValue;
            }
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = pm.getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
            agent = this._proxyAgent;
        }
        if (!useProxy) {
            agent = this._agent;
        }
        // if agent is already assigned use that agent.
        if (agent) {
            return agent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        let maxSockets = 100;
        if (this.requestOptions) {
            maxSockets = this.requestOptions.maxSockets || http.globalAgent.maxSockets;
        }
        // This is `useProxy` again, but we need to check `proxyURl` directly for TypeScripts's flow analysis.
        if (proxyUrl && proxyUrl.hostname) {
            const agentOptions = {
                maxSockets,
                keepAlive: this._keepAlive,
                proxy: Object.assign(Object.assign({}, ((proxyUrl.username || proxyUrl.password) && {
                    proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
                })), { host: proxyUrl.hostname, port: proxyUrl.port })
            };
            let tunnelAgent;
            const overHttps = proxyUrl.protocol === 'https:';
            if (usingSsl) {
                tunnelAgent = overHttps ? tunnel.httpsOverHttps : tunnel.httpsOverHttp;
            }
            else {
                tunnelAgent = overHttps ? tunnel.httpOverHttps : tunnel.httpOverHttp;
            }
            agent = tunnelAgent(agentOptions);
            this._proxyAgent = agent;
        }
        // if tunneling agent isn't assigned create a new agent
        if (!agent) {
            const options = { keepAlive: this._keepAlive, maxSockets };
            agent = usingSsl ? new https.Agent(options) : new http.Agent(options);
            this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            agent.options = Object.assign(agent.options || {}, {
                rejectUnauthorized: false
            });
        }
        return agent;
    }
    _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
            proxyAgent = this._proxyAgentDispatcher;
        }
        // if agent is already assigned use that agent.
        if (proxyAgent) {
            return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        proxyAgent = new ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, ((proxyUrl.username || proxyUrl.password) && {
            token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString('base64')}`
        })));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
                rejectUnauthorized: false
            });
        }
        return proxyAgent;
    }
    _getUserAgentWithOrchestrationId(userAgent) {
        const baseUserAgent = userAgent || 'actions/http-client';
        const orchId = process.env['ACTIONS_ORCHESTRATION_ID'];
        if (orchId) {
            // Sanitize the orchestration ID to ensure it contains only valid characters
            // Valid characters: 0-9, a-z, _, -, .
            const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, '_');
            return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
    }
    _performExponentialBackoff(retryNumber) {
        return __awaiter(this, void 0, void 0, function* () {
            retryNumber = Math.min(ExponentialBackoffCeiling, retryNumber);
            const ms = ExponentialBackoffTimeSlice * Math.pow(2, retryNumber);
            return new Promise(resolve => setTimeout(() => resolve(), ms));
        });
    }
    _processResponse(res, options) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => __awaiter(this, void 0, void 0, function* () {
                const statusCode = res.message.statusCode || 0;
                const response = {
                    statusCode,
                    result: null,
                    headers: {}
                };
                // not found leads to null obj returned
                if (statusCode === HttpCodes.NotFound) {
                    resolve(response);
                }
                // get the result from the body
                function dateTimeDeserializer(key, value) {
                    if (typeof value === 'string') {
                        const a = new Date(value);
                        if (!isNaN(a.valueOf())) {
                            return a;
                        }
                    }
                    return value;
                }
                let obj;
                let contents;
                try {
                    contents = yield res.readBody();
                    if (contents && contents.length > 0) {
                        if (options && options.deserializeDates) {
                            obj = JSON.parse(contents, dateTimeDeserializer);
                        }
                        else {
                            obj = JSON.parse(contents);
                        }
                        response.result = obj;
                    }
                    response.headers = res.message.headers;
                }
                catch (err) {
                    // Invalid resource (contents not json);  leaving result obj null
                }
                // note that 3xx redirects are handled by the http layer.
                if (statusCode > 299) {
                    let msg;
                    // if exception/error in body, attempt to get better error
                    if (obj && obj.message) {
                        msg = obj.message;
                    }
                    else if (contents && contents.length > 0) {
                        // it may be the case that the exception is in the body message as string
                        msg = contents;
                    }
                    else {
                        msg = `Failed request: (${statusCode})`;
                    }
                    const err = new HttpClientError(msg, statusCode);
                    err.result = response.result;
                    reject(err);
                }
                else {
                    resolve(response);
                }
            }));
        });
    }
}
const lowercaseKeys = (obj) => Object.keys(obj).reduce((c, k) => ((c[k.toLowerCase()] = obj[k]), c), {});
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/auth.js
var auth_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BasicCredentialHandler {
    constructor(username, password) {
        this.username = username;
        this.password = password;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return auth_awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class auth_BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return auth_awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class PersonalAccessTokenCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`PAT:${this.token}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return auth_awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
//# sourceMappingURL=auth.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/oidc-utils.js
var oidc_utils_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



class oidc_utils_OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new HttpClient('actions/oidc-client', [new BearerCredentialHandler(oidc_utils_OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            var _a;
            const httpclient = oidc_utils_OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            try {
                // New ID Token is requested from action service
                let id_token_url = oidc_utils_OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield oidc_utils_OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}
//# sourceMappingURL=oidc-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_namespaceObject.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_namespaceObject.constants.R_OK | external_fs_namespaceObject.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_namespaceObject.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = (/* unused pure expression or super */ null && (_summary));
const summary = (/* unused pure expression or super */ null && (_summary));
//# sourceMappingURL=summary.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/path-utils.js

/**
 * toPosixPath converts the given path to the posix form. On Windows, \\ will be
 * replaced with /.
 *
 * @param pth. Path to transform.
 * @return string Posix path.
 */
function toPosixPath(pth) {
    return pth.replace(/[\\]/g, '/');
}
/**
 * toWin32Path converts the given path to the win32 form. On Linux, / will be
 * replaced with \\.
 *
 * @param pth. Path to transform.
 * @return string Win32 path.
 */
function toWin32Path(pth) {
    return pth.replace(/[/]/g, '\\');
}
/**
 * toPlatformPath converts the given path to a platform-specific path. It does
 * this by replacing instances of / and \ with the platform-specific path
 * separator.
 *
 * @param pth The path to platformize.
 * @return string The platform-specific path.
 */
function toPlatformPath(pth) {
    return pth.replace(/[/\\]/g, path.sep);
}
//# sourceMappingURL=path-utils.js.map
;// CONCATENATED MODULE: external "string_decoder"
const external_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");
// EXTERNAL MODULE: external "events"
var external_events_ = __nccwpck_require__(434);
;// CONCATENATED MODULE: external "child_process"
const external_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");
// EXTERNAL MODULE: external "assert"
var external_assert_ = __nccwpck_require__(613);
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io-util.js
var io_util_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { chmod, copyFile, lstat, mkdir, open: io_util_open, readdir, rename, rm, rmdir, stat, symlink, unlink } = external_fs_namespaceObject.promises;
// export const {open} = 'fs'
const IS_WINDOWS = process.platform === 'win32';
/**
 * Custom implementation of readlink to ensure Windows junctions
 * maintain trailing backslash for backward compatibility with Node.js < 24
 *
 * In Node.js 20, Windows junctions (directory symlinks) always returned paths
 * with trailing backslashes. Node.js 24 removed this behavior, which breaks
 * code that relied on this format for path operations.
 *
 * This implementation restores the Node 20 behavior by adding a trailing
 * backslash to all junction results on Windows.
 */
function readlink(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        const result = yield fs.promises.readlink(fsPath);
        // On Windows, restore Node 20 behavior: add trailing backslash to all results
        // since junctions on Windows are always directory links
        if (IS_WINDOWS && !result.endsWith('\\')) {
            return `${result}\\`;
        }
        return result;
    });
}
// See https://github.com/nodejs/node/blob/d0153aee367422d0858105abec186da4dff0a0c5/deps/uv/include/uv/win.h#L691
const UV_FS_O_EXLOCK = 0x10000000;
const READONLY = external_fs_namespaceObject.constants.O_RDONLY;
function exists(fsPath) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        try {
            yield stat(fsPath);
        }
        catch (err) {
            if (err.code === 'ENOENT') {
                return false;
            }
            throw err;
        }
        return true;
    });
}
function isDirectory(fsPath_1) {
    return io_util_awaiter(this, arguments, void 0, function* (fsPath, useStat = false) {
        const stats = useStat ? yield stat(fsPath) : yield lstat(fsPath);
        return stats.isDirectory();
    });
}
/**
 * On OSX/Linux, true if path starts with '/'. On Windows, true for paths like:
 * \, \hello, \\hello\share, C:, and C:\hello (and corresponding alternate separator cases).
 */
function isRooted(p) {
    p = normalizeSeparators(p);
    if (!p) {
        throw new Error('isRooted() parameter "p" cannot be empty');
    }
    if (IS_WINDOWS) {
        return (p.startsWith('\\') || /^[A-Z]:/i.test(p) // e.g. \ or \hello or \\hello
        ); // e.g. C: or C:\hello
    }
    return p.startsWith('/');
}
/**
 * Best effort attempt to determine whether a file exists and is executable.
 * @param filePath    file path to check
 * @param extensions  additional file extensions to try
 * @return if file exists and is executable, returns the file path. otherwise empty string.
 */
function tryGetExecutablePath(filePath, extensions) {
    return io_util_awaiter(this, void 0, void 0, function* () {
        let stats = undefined;
        try {
            // test file exists
            stats = yield stat(filePath);
        }
        catch (err) {
            if (err.code !== 'ENOENT') {
                // eslint-disable-next-line no-console
                console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
            }
        }
        if (stats && stats.isFile()) {
            if (IS_WINDOWS) {
                // on Windows, test for valid extension
                const upperExt = external_path_namespaceObject.extname(filePath).toUpperCase();
                if (extensions.some(validExt => validExt.toUpperCase() === upperExt)) {
                    return filePath;
                }
            }
            else {
                if (isUnixExecutable(stats)) {
                    return filePath;
                }
            }
        }
        // try each extension
        const originalFilePath = filePath;
        for (const extension of extensions) {
            filePath = originalFilePath + extension;
            stats = undefined;
            try {
                stats = yield stat(filePath);
            }
            catch (err) {
                if (err.code !== 'ENOENT') {
                    // eslint-disable-next-line no-console
                    console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
                }
            }
            if (stats && stats.isFile()) {
                if (IS_WINDOWS) {
                    // preserve the case of the actual file (since an extension was appended)
                    try {
                        const directory = external_path_namespaceObject.dirname(filePath);
                        const upperName = external_path_namespaceObject.basename(filePath).toUpperCase();
                        for (const actualName of yield readdir(directory)) {
                            if (upperName === actualName.toUpperCase()) {
                                filePath = external_path_namespaceObject.join(directory, actualName);
                                break;
                            }
                        }
                    }
                    catch (err) {
                        // eslint-disable-next-line no-console
                        console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
                    }
                    return filePath;
                }
                else {
                    if (isUnixExecutable(stats)) {
                        return filePath;
                    }
                }
            }
        }
        return '';
    });
}
function normalizeSeparators(p) {
    p = p || '';
    if (IS_WINDOWS) {
        // convert slashes on Windows
        p = p.replace(/\//g, '\\');
        // remove redundant slashes
        return p.replace(/\\\\+/g, '\\');
    }
    // remove redundant slashes
    return p.replace(/\/\/+/g, '/');
}
// on Mac/Linux, test the execute bit
//     R   W  X  R  W X R W X
//   256 128 64 32 16 8 4 2 1
function isUnixExecutable(stats) {
    return ((stats.mode & 1) > 0 ||
        ((stats.mode & 8) > 0 &&
            process.getgid !== undefined &&
            stats.gid === process.getgid()) ||
        ((stats.mode & 64) > 0 &&
            process.getuid !== undefined &&
            stats.uid === process.getuid()));
}
// Get the path of cmd.exe in windows
function getCmdPath() {
    var _a;
    return (_a = process.env['COMSPEC']) !== null && _a !== void 0 ? _a : `cmd.exe`;
}
//# sourceMappingURL=io-util.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io.js
var io_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



/**
 * Copies a file or folder.
 * Based off of shelljs - https://github.com/shelljs/shelljs/blob/9237f66c52e5daa40458f94f9565e18e8132f5a6/src/cp.js
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See CopyOptions.
 */
function cp(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        const { force, recursive, copySourceDirectory } = readCopyOptions(options);
        const destStat = (yield ioUtil.exists(dest)) ? yield ioUtil.stat(dest) : null;
        // Dest is an existing file, but not forcing
        if (destStat && destStat.isFile() && !force) {
            return;
        }
        // If dest is an existing directory, should copy inside.
        const newDest = destStat && destStat.isDirectory() && copySourceDirectory
            ? path.join(dest, path.basename(source))
            : dest;
        if (!(yield ioUtil.exists(source))) {
            throw new Error(`no such file or directory: ${source}`);
        }
        const sourceStat = yield ioUtil.stat(source);
        if (sourceStat.isDirectory()) {
            if (!recursive) {
                throw new Error(`Failed to copy. ${source} is a directory, but tried to copy without recursive flag.`);
            }
            else {
                yield cpDirRecursive(source, newDest, 0, force);
            }
        }
        else {
            if (path.relative(source, newDest) === '') {
                // a file cannot be copied to itself
                throw new Error(`'${newDest}' and '${source}' are the same file`);
            }
            yield io_copyFile(source, newDest, force);
        }
    });
}
/**
 * Moves a path.
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See MoveOptions.
 */
function mv(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        if (yield ioUtil.exists(dest)) {
            let destExists = true;
            if (yield ioUtil.isDirectory(dest)) {
                // If dest is directory copy src into dest
                dest = path.join(dest, path.basename(source));
                destExists = yield ioUtil.exists(dest);
            }
            if (destExists) {
                if (options.force == null || options.force) {
                    yield rmRF(dest);
                }
                else {
                    throw new Error('Destination already exists');
                }
            }
        }
        yield mkdirP(path.dirname(dest));
        yield ioUtil.rename(source, dest);
    });
}
/**
 * Remove a path recursively with force
 *
 * @param inputPath path to remove
 */
function rmRF(inputPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (ioUtil.IS_WINDOWS) {
            // Check for invalid characters
            // https://docs.microsoft.com/en-us/windows/win32/fileio/naming-a-file
            if (/[*"<>|]/.test(inputPath)) {
                throw new Error('File path must not contain `*`, `"`, `<`, `>` or `|` on Windows');
            }
        }
        try {
            // note if path does not exist, error is silent
            yield ioUtil.rm(inputPath, {
                force: true,
                maxRetries: 3,
                recursive: true,
                retryDelay: 300
            });
        }
        catch (err) {
            throw new Error(`File was unable to be removed ${err}`);
        }
    });
}
/**
 * Make a directory.  Creates the full path with folders in between
 * Will throw if it fails
 *
 * @param   fsPath        path to create
 * @returns Promise<void>
 */
function mkdirP(fsPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        ok(fsPath, 'a path argument must be provided');
        yield ioUtil.mkdir(fsPath, { recursive: true });
    });
}
/**
 * Returns path of a tool had the tool actually been invoked.  Resolves via paths.
 * If you check and the tool does not exist, it will throw.
 *
 * @param     tool              name of the tool
 * @param     check             whether to check if tool exists
 * @returns   Promise<string>   path to tool
 */
function which(tool, check) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // recursive when check=true
        if (check) {
            const result = yield which(tool, false);
            if (!result) {
                if (IS_WINDOWS) {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
                }
                else {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
                }
            }
            return result;
        }
        const matches = yield findInPath(tool);
        if (matches && matches.length > 0) {
            return matches[0];
        }
        return '';
    });
}
/**
 * Returns a list of all occurrences of the given tool on the system path.
 *
 * @returns   Promise<string[]>  the paths of the tool
 */
function findInPath(tool) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // build the list of extensions to try
        const extensions = [];
        if (IS_WINDOWS && process.env['PATHEXT']) {
            for (const extension of process.env['PATHEXT'].split(external_path_namespaceObject.delimiter)) {
                if (extension) {
                    extensions.push(extension);
                }
            }
        }
        // if it's rooted, return it if exists. otherwise return empty.
        if (isRooted(tool)) {
            const filePath = yield tryGetExecutablePath(tool, extensions);
            if (filePath) {
                return [filePath];
            }
            return [];
        }
        // if any path separators, return empty
        if (tool.includes(external_path_namespaceObject.sep)) {
            return [];
        }
        // build the list of directories
        //
        // Note, technically "where" checks the current directory on Windows. From a toolkit perspective,
        // it feels like we should not do this. Checking the current directory seems like more of a use
        // case of a shell, and the which() function exposed by the toolkit should strive for consistency
        // across platforms.
        const directories = [];
        if (process.env.PATH) {
            for (const p of process.env.PATH.split(external_path_namespaceObject.delimiter)) {
                if (p) {
                    directories.push(p);
                }
            }
        }
        // find all matches
        const matches = [];
        for (const directory of directories) {
            const filePath = yield tryGetExecutablePath(external_path_namespaceObject.join(directory, tool), extensions);
            if (filePath) {
                matches.push(filePath);
            }
        }
        return matches;
    });
}
function readCopyOptions(options) {
    const force = options.force == null ? true : options.force;
    const recursive = Boolean(options.recursive);
    const copySourceDirectory = options.copySourceDirectory == null
        ? true
        : Boolean(options.copySourceDirectory);
    return { force, recursive, copySourceDirectory };
}
function cpDirRecursive(sourceDir, destDir, currentDepth, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        // Ensure there is not a run away recursive copy
        if (currentDepth >= 255)
            return;
        currentDepth++;
        yield mkdirP(destDir);
        const files = yield ioUtil.readdir(sourceDir);
        for (const fileName of files) {
            const srcFile = `${sourceDir}/${fileName}`;
            const destFile = `${destDir}/${fileName}`;
            const srcFileStat = yield ioUtil.lstat(srcFile);
            if (srcFileStat.isDirectory()) {
                // Recurse
                yield cpDirRecursive(srcFile, destFile, currentDepth, force);
            }
            else {
                yield io_copyFile(srcFile, destFile, force);
            }
        }
        // Change the mode for the newly created directory
        yield ioUtil.chmod(destDir, (yield ioUtil.stat(sourceDir)).mode);
    });
}
// Buffered file copy
function io_copyFile(srcFile, destFile, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        if ((yield ioUtil.lstat(srcFile)).isSymbolicLink()) {
            // unlink/re-link it
            try {
                yield ioUtil.lstat(destFile);
                yield ioUtil.unlink(destFile);
            }
            catch (e) {
                // Try to override file permission
                if (e.code === 'EPERM') {
                    yield ioUtil.chmod(destFile, '0666');
                    yield ioUtil.unlink(destFile);
                }
                // other errors = it doesn't exist, no work to do
            }
            // Copy over symlink
            const symlinkFull = yield ioUtil.readlink(srcFile);
            yield ioUtil.symlink(symlinkFull, destFile, ioUtil.IS_WINDOWS ? 'junction' : null);
        }
        else if (!(yield ioUtil.exists(destFile)) || force) {
            yield ioUtil.copyFile(srcFile, destFile);
        }
    });
}
//# sourceMappingURL=io.js.map
;// CONCATENATED MODULE: external "timers"
const external_timers_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/toolrunner.js
var toolrunner_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};







/* eslint-disable @typescript-eslint/unbound-method */
const toolrunner_IS_WINDOWS = process.platform === 'win32';
/*
 * Class for running command line tools. Handles quoting and arg parsing in a platform agnostic way.
 */
class ToolRunner extends external_events_.EventEmitter {
    constructor(toolPath, args, options) {
        super();
        if (!toolPath) {
            throw new Error("Parameter 'toolPath' cannot be null or empty.");
        }
        this.toolPath = toolPath;
        this.args = args || [];
        this.options = options || {};
    }
    _debug(message) {
        if (this.options.listeners && this.options.listeners.debug) {
            this.options.listeners.debug(message);
        }
    }
    _getCommandString(options, noPrefix) {
        const toolPath = this._getSpawnFileName();
        const args = this._getSpawnArgs(options);
        let cmd = noPrefix ? '' : '[command]'; // omit prefix when piped to a second tool
        if (toolrunner_IS_WINDOWS) {
            // Windows + cmd file
            if (this._isCmdFile()) {
                cmd += toolPath;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows + verbatim
            else if (options.windowsVerbatimArguments) {
                cmd += `"${toolPath}"`;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows (regular)
            else {
                cmd += this._windowsQuoteCmdArg(toolPath);
                for (const a of args) {
                    cmd += ` ${this._windowsQuoteCmdArg(a)}`;
                }
            }
        }
        else {
            // OSX/Linux - this can likely be improved with some form of quoting.
            // creating processes on Unix is fundamentally different than Windows.
            // on Unix, execvp() takes an arg array.
            cmd += toolPath;
            for (const a of args) {
                cmd += ` ${a}`;
            }
        }
        return cmd;
    }
    _processLineBuffer(data, strBuffer, onLine) {
        try {
            let s = strBuffer + data.toString();
            let n = s.indexOf(external_os_namespaceObject.EOL);
            while (n > -1) {
                const line = s.substring(0, n);
                onLine(line);
                // the rest of the string ...
                s = s.substring(n + external_os_namespaceObject.EOL.length);
                n = s.indexOf(external_os_namespaceObject.EOL);
            }
            return s;
        }
        catch (err) {
            // streaming lines to console is best effort.  Don't fail a build.
            this._debug(`error processing line. Failed with error ${err}`);
            return '';
        }
    }
    _getSpawnFileName() {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                return process.env['COMSPEC'] || 'cmd.exe';
            }
        }
        return this.toolPath;
    }
    _getSpawnArgs(options) {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                let argline = `/D /S /C "${this._windowsQuoteCmdArg(this.toolPath)}`;
                for (const a of this.args) {
                    argline += ' ';
                    argline += options.windowsVerbatimArguments
                        ? a
                        : this._windowsQuoteCmdArg(a);
                }
                argline += '"';
                return [argline];
            }
        }
        return this.args;
    }
    _endsWith(str, end) {
        return str.endsWith(end);
    }
    _isCmdFile() {
        const upperToolPath = this.toolPath.toUpperCase();
        return (this._endsWith(upperToolPath, '.CMD') ||
            this._endsWith(upperToolPath, '.BAT'));
    }
    _windowsQuoteCmdArg(arg) {
        // for .exe, apply the normal quoting rules that libuv applies
        if (!this._isCmdFile()) {
            return this._uvQuoteCmdArg(arg);
        }
        // otherwise apply quoting rules specific to the cmd.exe command line parser.
        // the libuv rules are generic and are not designed specifically for cmd.exe
        // command line parser.
        //
        // for a detailed description of the cmd.exe command line parser, refer to
        // http://stackoverflow.com/questions/4094699/how-does-the-windows-command-interpreter-cmd-exe-parse-scripts/7970912#7970912
        // need quotes for empty arg
        if (!arg) {
            return '""';
        }
        // determine whether the arg needs to be quoted
        const cmdSpecialChars = [
            ' ',
            '\t',
            '&',
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            '^',
            '=',
            ';',
            '!',
            "'",
            '+',
            ',',
            '`',
            '~',
            '|',
            '<',
            '>',
            '"'
        ];
        let needsQuotes = false;
        for (const char of arg) {
            if (cmdSpecialChars.some(x => x === char)) {
                needsQuotes = true;
                break;
            }
        }
        // short-circuit if quotes not needed
        if (!needsQuotes) {
            return arg;
        }
        // the following quoting rules are very similar to the rules that by libuv applies.
        //
        // 1) wrap the string in quotes
        //
        // 2) double-up quotes - i.e. " => ""
        //
        //    this is different from the libuv quoting rules. libuv replaces " with \", which unfortunately
        //    doesn't work well with a cmd.exe command line.
        //
        //    note, replacing " with "" also works well if the arg is passed to a downstream .NET console app.
        //    for example, the command line:
        //          foo.exe "myarg:""my val"""
        //    is parsed by a .NET console app into an arg array:
        //          [ "myarg:\"my val\"" ]
        //    which is the same end result when applying libuv quoting rules. although the actual
        //    command line from libuv quoting rules would look like:
        //          foo.exe "myarg:\"my val\""
        //
        // 3) double-up slashes that precede a quote,
        //    e.g.  hello \world    => "hello \world"
        //          hello\"world    => "hello\\""world"
        //          hello\\"world   => "hello\\\\""world"
        //          hello world\    => "hello world\\"
        //
        //    technically this is not required for a cmd.exe command line, or the batch argument parser.
        //    the reasons for including this as a .cmd quoting rule are:
        //
        //    a) this is optimized for the scenario where the argument is passed from the .cmd file to an
        //       external program. many programs (e.g. .NET console apps) rely on the slash-doubling rule.
        //
        //    b) it's what we've been doing previously (by deferring to node default behavior) and we
        //       haven't heard any complaints about that aspect.
        //
        // note, a weakness of the quoting rules chosen here, is that % is not escaped. in fact, % cannot be
        // escaped when used on the command line directly - even though within a .cmd file % can be escaped
        // by using %%.
        //
        // the saving grace is, on the command line, %var% is left as-is if var is not defined. this contrasts
        // the line parsing rules within a .cmd file, where if var is not defined it is replaced with nothing.
        //
        // one option that was explored was replacing % with ^% - i.e. %var% => ^%var^%. this hack would
        // often work, since it is unlikely that var^ would exist, and the ^ character is removed when the
        // variable is used. the problem, however, is that ^ is not removed when %* is used to pass the args
        // to an external program.
        //
        // an unexplored potential solution for the % escaping problem, is to create a wrapper .cmd file.
        // % can be escaped within a .cmd file.
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\'; // double the slash
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '"'; // double the quote
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _uvQuoteCmdArg(arg) {
        // Tool runner wraps child_process.spawn() and needs to apply the same quoting as
        // Node in certain cases where the undocumented spawn option windowsVerbatimArguments
        // is used.
        //
        // Since this function is a port of quote_cmd_arg from Node 4.x (technically, lib UV,
        // see https://github.com/nodejs/node/blob/v4.x/deps/uv/src/win/process.c for details),
        // pasting copyright notice from Node within this function:
        //
        //      Copyright Joyent, Inc. and other Node contributors. All rights reserved.
        //
        //      Permission is hereby granted, free of charge, to any person obtaining a copy
        //      of this software and associated documentation files (the "Software"), to
        //      deal in the Software without restriction, including without limitation the
        //      rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
        //      sell copies of the Software, and to permit persons to whom the Software is
        //      furnished to do so, subject to the following conditions:
        //
        //      The above copyright notice and this permission notice shall be included in
        //      all copies or substantial portions of the Software.
        //
        //      THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        //      IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        //      FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
        //      AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
        //      LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
        //      FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
        //      IN THE SOFTWARE.
        if (!arg) {
            // Need double quotation for empty argument
            return '""';
        }
        if (!arg.includes(' ') && !arg.includes('\t') && !arg.includes('"')) {
            // No quotation needed
            return arg;
        }
        if (!arg.includes('"') && !arg.includes('\\')) {
            // No embedded double quotes or backslashes, so I can just wrap
            // quote marks around the whole thing.
            return `"${arg}"`;
        }
        // Expected input/output:
        //   input : hello"world
        //   output: "hello\"world"
        //   input : hello""world
        //   output: "hello\"\"world"
        //   input : hello\world
        //   output: hello\world
        //   input : hello\\world
        //   output: hello\\world
        //   input : hello\"world
        //   output: "hello\\\"world"
        //   input : hello\\"world
        //   output: "hello\\\\\"world"
        //   input : hello world\
        //   output: "hello world\\" - note the comment in libuv actually reads "hello world\"
        //                             but it appears the comment is wrong, it should be "hello world\\"
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\';
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '\\';
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _cloneExecOptions(options) {
        options = options || {};
        const result = {
            cwd: options.cwd || process.cwd(),
            env: options.env || process.env,
            silent: options.silent || false,
            windowsVerbatimArguments: options.windowsVerbatimArguments || false,
            failOnStdErr: options.failOnStdErr || false,
            ignoreReturnCode: options.ignoreReturnCode || false,
            delay: options.delay || 10000
        };
        result.outStream = options.outStream || process.stdout;
        result.errStream = options.errStream || process.stderr;
        return result;
    }
    _getSpawnOptions(options, toolPath) {
        options = options || {};
        const result = {};
        result.cwd = options.cwd;
        result.env = options.env;
        result['windowsVerbatimArguments'] =
            options.windowsVerbatimArguments || this._isCmdFile();
        if (options.windowsVerbatimArguments) {
            result.argv0 = `"${toolPath}"`;
        }
        return result;
    }
    /**
     * Exec a tool.
     * Output will be streamed to the live console.
     * Returns promise with return code
     *
     * @param     tool     path to tool to exec
     * @param     options  optional exec options.  See ExecOptions
     * @returns   number
     */
    exec() {
        return toolrunner_awaiter(this, void 0, void 0, function* () {
            // root the tool path if it is unrooted and contains relative pathing
            if (!isRooted(this.toolPath) &&
                (this.toolPath.includes('/') ||
                    (toolrunner_IS_WINDOWS && this.toolPath.includes('\\')))) {
                // prefer options.cwd if it is specified, however options.cwd may also need to be rooted
                this.toolPath = external_path_namespaceObject.resolve(process.cwd(), this.options.cwd || process.cwd(), this.toolPath);
            }
            // if the tool is only a file name, then resolve it from the PATH
            // otherwise verify it exists (add extension on Windows if necessary)
            this.toolPath = yield which(this.toolPath, true);
            return new Promise((resolve, reject) => toolrunner_awaiter(this, void 0, void 0, function* () {
                this._debug(`exec tool: ${this.toolPath}`);
                this._debug('arguments:');
                for (const arg of this.args) {
                    this._debug(`   ${arg}`);
                }
                const optionsNonNull = this._cloneExecOptions(this.options);
                if (!optionsNonNull.silent && optionsNonNull.outStream) {
                    optionsNonNull.outStream.write(this._getCommandString(optionsNonNull) + external_os_namespaceObject.EOL);
                }
                const state = new ExecState(optionsNonNull, this.toolPath);
                state.on('debug', (message) => {
                    this._debug(message);
                });
                if (this.options.cwd && !(yield exists(this.options.cwd))) {
                    return reject(new Error(`The cwd: ${this.options.cwd} does not exist!`));
                }
                const fileName = this._getSpawnFileName();
                const cp = external_child_process_namespaceObject.spawn(fileName, this._getSpawnArgs(optionsNonNull), this._getSpawnOptions(this.options, fileName));
                let stdbuffer = '';
                if (cp.stdout) {
                    cp.stdout.on('data', (data) => {
                        if (this.options.listeners && this.options.listeners.stdout) {
                            this.options.listeners.stdout(data);
                        }
                        if (!optionsNonNull.silent && optionsNonNull.outStream) {
                            optionsNonNull.outStream.write(data);
                        }
                        stdbuffer = this._processLineBuffer(data, stdbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.stdline) {
                                this.options.listeners.stdline(line);
                            }
                        });
                    });
                }
                let errbuffer = '';
                if (cp.stderr) {
                    cp.stderr.on('data', (data) => {
                        state.processStderr = true;
                        if (this.options.listeners && this.options.listeners.stderr) {
                            this.options.listeners.stderr(data);
                        }
                        if (!optionsNonNull.silent &&
                            optionsNonNull.errStream &&
                            optionsNonNull.outStream) {
                            const s = optionsNonNull.failOnStdErr
                                ? optionsNonNull.errStream
                                : optionsNonNull.outStream;
                            s.write(data);
                        }
                        errbuffer = this._processLineBuffer(data, errbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.errline) {
                                this.options.listeners.errline(line);
                            }
                        });
                    });
                }
                cp.on('error', (err) => {
                    state.processError = err.message;
                    state.processExited = true;
                    state.processClosed = true;
                    state.CheckComplete();
                });
                cp.on('exit', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    this._debug(`Exit code ${code} received from tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                cp.on('close', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    state.processClosed = true;
                    this._debug(`STDIO streams have closed for tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                state.on('done', (error, exitCode) => {
                    if (stdbuffer.length > 0) {
                        this.emit('stdline', stdbuffer);
                    }
                    if (errbuffer.length > 0) {
                        this.emit('errline', errbuffer);
                    }
                    cp.removeAllListeners();
                    if (error) {
                        reject(error);
                    }
                    else {
                        resolve(exitCode);
                    }
                });
                if (this.options.input) {
                    if (!cp.stdin) {
                        throw new Error('child process missing stdin');
                    }
                    cp.stdin.end(this.options.input);
                }
            }));
        });
    }
}
/**
 * Convert an arg string to an array of args. Handles escaping
 *
 * @param    argString   string of arguments
 * @returns  string[]    array of arguments
 */
function argStringToArray(argString) {
    const args = [];
    let inQuotes = false;
    let escaped = false;
    let arg = '';
    function append(c) {
        // we only escape double quotes.
        if (escaped && c !== '"') {
            arg += '\\';
        }
        arg += c;
        escaped = false;
    }
    for (let i = 0; i < argString.length; i++) {
        const c = argString.charAt(i);
        if (c === '"') {
            if (!escaped) {
                inQuotes = !inQuotes;
            }
            else {
                append(c);
            }
            continue;
        }
        if (c === '\\' && escaped) {
            append(c);
            continue;
        }
        if (c === '\\' && inQuotes) {
            escaped = true;
            continue;
        }
        if (c === ' ' && !inQuotes) {
            if (arg.length > 0) {
                args.push(arg);
                arg = '';
            }
            continue;
        }
        append(c);
    }
    if (arg.length > 0) {
        args.push(arg.trim());
    }
    return args;
}
class ExecState extends external_events_.EventEmitter {
    constructor(options, toolPath) {
        super();
        this.processClosed = false; // tracks whether the process has exited and stdio is closed
        this.processError = '';
        this.processExitCode = 0;
        this.processExited = false; // tracks whether the process has exited
        this.processStderr = false; // tracks whether stderr was written to
        this.delay = 10000; // 10 seconds
        this.done = false;
        this.timeout = null;
        if (!toolPath) {
            throw new Error('toolPath must not be empty');
        }
        this.options = options;
        this.toolPath = toolPath;
        if (options.delay) {
            this.delay = options.delay;
        }
    }
    CheckComplete() {
        if (this.done) {
            return;
        }
        if (this.processClosed) {
            this._setResult();
        }
        else if (this.processExited) {
            this.timeout = (0,external_timers_namespaceObject.setTimeout)(ExecState.HandleTimeout, this.delay, this);
        }
    }
    _debug(message) {
        this.emit('debug', message);
    }
    _setResult() {
        // determine whether there is an error
        let error;
        if (this.processExited) {
            if (this.processError) {
                error = new Error(`There was an error when attempting to execute the process '${this.toolPath}'. This may indicate the process failed to start. Error: ${this.processError}`);
            }
            else if (this.processExitCode !== 0 && !this.options.ignoreReturnCode) {
                error = new Error(`The process '${this.toolPath}' failed with exit code ${this.processExitCode}`);
            }
            else if (this.processStderr && this.options.failOnStdErr) {
                error = new Error(`The process '${this.toolPath}' failed because one or more lines were written to the STDERR stream`);
            }
        }
        // clear the timeout
        if (this.timeout) {
            clearTimeout(this.timeout);
            this.timeout = null;
        }
        this.done = true;
        this.emit('done', error, this.processExitCode);
    }
    static HandleTimeout(state) {
        if (state.done) {
            return;
        }
        if (!state.processClosed && state.processExited) {
            const message = `The STDIO streams did not close within ${state.delay / 1000} seconds of the exit event from process '${state.toolPath}'. This may indicate a child process inherited the STDIO streams and has not yet exited.`;
            state._debug(message);
        }
        state._setResult();
    }
}
//# sourceMappingURL=toolrunner.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/exec.js
var exec_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


/**
 * Exec a command.
 * Output will be streamed to the live console.
 * Returns promise with return code
 *
 * @param     commandLine        command to execute (can include additional args). Must be correctly escaped.
 * @param     args               optional arguments for tool. Escaping is handled by the lib.
 * @param     options            optional exec options.  See ExecOptions
 * @returns   Promise<number>    exit code
 */
function exec_exec(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        const commandArgs = tr.argStringToArray(commandLine);
        if (commandArgs.length === 0) {
            throw new Error(`Parameter 'commandLine' cannot be null or empty.`);
        }
        // Path to tool to execute should be first arg
        const toolPath = commandArgs[0];
        args = commandArgs.slice(1).concat(args || []);
        const runner = new tr.ToolRunner(toolPath, args, options);
        return runner.exec();
    });
}
/**
 * Exec a command and get the output.
 * Output will be streamed to the live console.
 * Returns promise with the exit code and collected stdout and stderr
 *
 * @param     commandLine           command to execute (can include additional args). Must be correctly escaped.
 * @param     args                  optional arguments for tool. Escaping is handled by the lib.
 * @param     options               optional exec options.  See ExecOptions
 * @returns   Promise<ExecOutput>   exit code, stdout, and stderr
 */
function getExecOutput(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        var _a, _b;
        let stdout = '';
        let stderr = '';
        //Using string decoder covers the case where a mult-byte character is split
        const stdoutDecoder = new StringDecoder('utf8');
        const stderrDecoder = new StringDecoder('utf8');
        const originalStdoutListener = (_a = options === null || options === void 0 ? void 0 : options.listeners) === null || _a === void 0 ? void 0 : _a.stdout;
        const originalStdErrListener = (_b = options === null || options === void 0 ? void 0 : options.listeners) === null || _b === void 0 ? void 0 : _b.stderr;
        const stdErrListener = (data) => {
            stderr += stderrDecoder.write(data);
            if (originalStdErrListener) {
                originalStdErrListener(data);
            }
        };
        const stdOutListener = (data) => {
            stdout += stdoutDecoder.write(data);
            if (originalStdoutListener) {
                originalStdoutListener(data);
            }
        };
        const listeners = Object.assign(Object.assign({}, options === null || options === void 0 ? void 0 : options.listeners), { stdout: stdOutListener, stderr: stdErrListener });
        const exitCode = yield exec_exec(commandLine, args, Object.assign(Object.assign({}, options), { listeners }));
        //flush any remaining characters
        stdout += stdoutDecoder.end();
        stderr += stderrDecoder.end();
        return {
            exitCode,
            stdout,
            stderr
        };
    });
}
//# sourceMappingURL=exec.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/platform.js
var platform_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const getWindowsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout: version } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', undefined, {
        silent: true
    });
    const { stdout: name } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', undefined, {
        silent: true
    });
    return {
        name: name.trim(),
        version: version.trim()
    };
});
const getMacOsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    var _a, _b, _c, _d;
    const { stdout } = yield exec.getExecOutput('sw_vers', undefined, {
        silent: true
    });
    const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : '';
    const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : '';
    return {
        name,
        version
    };
});
const getLinuxInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout } = yield exec.getExecOutput('lsb_release', ['-i', '-r', '-s'], {
        silent: true
    });
    const [name, version] = stdout.trim().split('\n');
    return {
        name,
        version
    };
});
const platform = external_os_namespaceObject.platform();
const arch = external_os_namespaceObject.arch();
const isWindows = platform === 'win32';
const isMacOS = platform === 'darwin';
const isLinux = platform === 'linux';
function getDetails() {
    return platform_awaiter(this, void 0, void 0, function* () {
        return Object.assign(Object.assign({}, (yield (isWindows
            ? getWindowsInfo()
            : isMacOS
                ? getMacOsInfo()
                : getLinuxInfo()))), { platform,
            arch,
            isWindows,
            isMacOS,
            isLinux });
    });
}
//# sourceMappingURL=platform.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/core.js
var core_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function core_setSecret(secret) {
    command_issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${path.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Gets the values of an multiline input.  Each value is also trimmed.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string[]
 *
 */
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return file_command_issueFileCommand('OUTPUT', file_command_prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_namespaceObject.EOL);
    command_issueCommand('set-output', { name }, utils_toCommandValue(value));
}
/**
 * Enables or disables the echoing of commands into stdout for the rest of the step.
 * Echoing is disabled by default if ACTIONS_STEP_DEBUG is not set.
 *
 */
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function core_debug(message) {
    command_issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    command_issueCommand('error', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    command_issueCommand('warning', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + external_os_namespaceObject.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    command_issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    command_issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return core_awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return core_awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}
/**
 * Summary exports
 */

/**
 * @deprecated use core.summary
 */

/**
 * Path exports
 */

/**
 * Platform utilities exports
 */

//# sourceMappingURL=core.js.map
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/model/errors.ts
/** A workflow input is missing or not allowed. Raised before any request is made. */
class InputError extends Error {
    input;
    constructor(input, message) {
        super(message);
        this.input = input;
        this.name = 'InputError';
    }
}
/** A HINDSITE call failed after the retry policy gave up. `message` is written for the user. */
class ApiError extends Error {
    outcome;
    status;
    constructor(message, outcome, status) {
        super(message);
        this.outcome = outcome;
        this.status = status;
        this.name = 'ApiError';
    }
}
/** The text of anything thrown (an error from another realm, such as a VM context, included). */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    const message = error?.message;
    return typeof message === 'string' ? message : String(error);
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: external "node:tls"
const external_node_tls_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");
;// CONCATENATED MODULE: ./src/hindsite/http.ts





class TransportError extends Error {
    failure;
    constructor(failure, message) {
        super(message);
        this.failure = failure;
        this.name = 'TransportError';
    }
}
/**
 * The most of a reply the action reads. The largest documented reply (a bulk call of 1,000 IDs) is
 * about 0.5 MB; parsing this much takes about 0.2 s and 80 MB, and that work runs after the
 * deadline has stopped counting, so the bound is what keeps it small.
 */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const USER_AGENT = 'hindsite-redeliver-action';
/**
 * Connections reused from one call to the next, for as long as calls keep coming. A POST sent on a
 * pooled connection that the server closes at that very moment fails like a lost reply, which for
 * the bulk call means "outcome unknown". Servers close idle connections after seconds (and say so
 * with `Connection: close` or a `Keep-Alive: timeout` hint, which Node honours); a connection idle
 * for more than KEEP_ALIVE_IDLE_MS is closed by us first, so a reused one is always fresh. Through
 * a proxy, each attempt opens a tunnel of its own and nothing is pooled.
 */
const KEEP_ALIVE_IDLE_MS = 500;
const POOLED = { keepAlive: true, timeout: KEEP_ALIVE_IDLE_MS };
class ConnectionPool {
    clock;
    constructor(clock) {
        this.clock = clock;
    }
    agents = {
        http: this.fresh(new external_node_http_namespaceObject.Agent(POOLED)),
        https: this.fresh(new external_node_https_namespaceObject.Agent(POOLED)),
    };
    retired = [];
    freedAt = new WeakMap();
    agentFor(url) {
        if (proxyFor(url))
            return undefined;
        const kind = url.protocol === 'https:' ? 'https' : 'http';
        // The idle timer cannot fire while the event loop is busy; check at the moment of reuse too.
        // A stale connection's agent is retired (its in-flight requests finish) for a fresh one.
        if (this.holdsStale(this.agents[kind])) {
            this.retired.push(this.agents[kind]);
            this.agents[kind] = this.fresh(kind === 'https' ? new external_node_https_namespaceObject.Agent(POOLED) : new external_node_http_namespaceObject.Agent(POOLED));
        }
        return this.agents[kind];
    }
    /** Closes every pooled connection (they never hold the process open, but end them now). */
    close() {
        for (const agent of [...this.retired, this.agents.http, this.agents.https])
            agent.destroy();
    }
    fresh(agent) {
        agent.on('free', (socket) => this.freedAt.set(socket, this.clock.now()));
        return agent;
    }
    holdsStale(agent) {
        const now = this.clock.now();
        return Object.values(agent.freeSockets).some((sockets) => (sockets ?? []).some((socket) => now - (this.freedAt.get(socket) ?? now) >= KEEP_ALIVE_IDLE_MS));
    }
}
/**
 * One attempt's view of its request: whether any byte of it can have left this machine, and what
 * it holds open (its request, a proxy's CONNECT, the tunnel) so that all of it ends when the
 * attempt is stopped. It learns only from events and public fields of objects it made.
 */
class RequestAttempt {
    established = false;
    stopped;
    held = new Set();
    hold(thing) {
        this.held.add(thing);
        // Made after the attempt was stopped (in the moment between an event and the next step): it
        // must not go on and send anything.
        if (this.stopped)
            this.release();
        return thing;
    }
    /** Ends whatever the attempt still holds. */
    release() {
        for (const thing of this.held) {
            thing.on('error', () => undefined);
            thing.destroy();
        }
        this.held.clear();
    }
    /**
     * Learns from the request's own `socket` event when its bytes can leave this machine. Node hands
     * a request's bytes to its socket only after that event; they go out once the socket is
     * connected: TCP for http, past the TLS handshake for https.
     * - a destroyed socket carries nothing;
     * - a reused pooled socket completed an exchange before: it is connected;
     * - a socket still connecting is a new one: its own `connect` or `secureConnect` says when;
     * - any other socket is already connected: a proxy tunnel, handed over past its handshake. (An
     *   agent makes its new sockets in the tick before this event, so they are still connecting; if
     *   that ever changed, counting them connected errs towards "may have been sent".)
     */
    watch(request) {
        request.once('socket', (socket) => {
            if (socket.destroyed)
                return;
            if (request.reusedSocket || !socket.connecting) {
                this.established = true;
                return;
            }
            const secure = socket instanceof external_node_tls_namespaceObject.TLSSocket;
            socket.once(secure ? 'secureConnect' : 'connect', () => (this.established = true));
        });
    }
}
/** `[::1]` as a URL spells it, `::1` as a socket wants it. */
const bare = (host) => host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
const portOf = (url) => Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
/**
 * The proxy to go through, by the rules (and the code) of @actions/http-client: HTTPS_PROXY or
 * HTTP_PROXY by the URL's scheme, except for hosts in NO_PROXY and loopback.
 */
function proxyFor(url) {
    const proxy = getProxyUrl(url);
    return proxy?.hostname ? proxy : undefined;
}
/** A tunnel that was not opened, in the words transportError knows (those of the `tunnel` package). */
const tunnelFailure = (detail) => Object.assign(new Error(`tunneling socket could not be established, ${detail}`), {
    code: 'ECONNRESET',
});
/**
 * A connection to `target` through `proxy`: a CONNECT request to the proxy (over TLS if the proxy
 * is https), then, for an https target, a TLS handshake with the target through the tunnel. It
 * resolves once the connection is ready for the request, and nothing of the request was written
 * before then; everything it opens is held by the attempt.
 */
function openTunnel(target, proxy, attempt) {
    const authority = `${target.hostname}:${portOf(target)}`;
    const headers = { host: authority };
    if (proxy.username || proxy.password) {
        const credentials = Buffer.from(`${proxy.username}:${proxy.password}`).toString('base64');
        headers['proxy-authorization'] = `Basic ${credentials}`;
    }
    const open = proxy.protocol === 'https:' ? external_node_https_namespaceObject.request : external_node_http_namespaceObject.request;
    return new Promise((resolve, reject) => {
        const connect = attempt.hold(open({
            host: bare(proxy.hostname),
            port: portOf(proxy),
            method: 'CONNECT',
            path: authority,
            headers,
            agent: false,
        }));
        connect.once('error', (error) => reject(tunnelFailure(`cause=${error.message}`)));
        connect.once('connect', (reply, socket, head) => {
            attempt.hold(socket).on('error', reject);
            if (reply.statusCode !== 200 || head.length > 0) {
                socket.destroy();
                const why = head.length > 0 ? 'the proxy sent data before the tunnel was open' : '';
                reject(tunnelFailure(why || `statusCode=${reply.statusCode}`));
                return;
            }
            if (target.protocol !== 'https:') {
                resolve(socket);
                return;
            }
            // The server's name is checked against its certificate (and sent as SNI, unless it is an
            // IP address); the CAs are Node's, with NODE_EXTRA_CA_CERTS, as for a direct connection.
            const host = bare(target.hostname);
            const secure = attempt.hold((0,external_node_tls_namespaceObject.connect)({ socket, host, servername: (0,external_node_net_namespaceObject.isIP)(host) ? undefined : host }));
            secure.once('secureConnect', () => resolve(secure));
            secure.once('error', reject);
        });
        connect.end();
    });
}
/** Makes the request (held and watched by the attempt) and resolves with the reply's head. */
function exchange(request, route, attempt, socketTimeoutMs) {
    const { url } = request;
    const headers = { 'user-agent': USER_AGENT };
    for (const [name, value] of Object.entries(request.headers))
        headers[name.toLowerCase()] = value;
    if (request.body !== undefined)
        headers['content-length'] = Buffer.byteLength(request.body);
    const options = {
        method: request.method,
        host: bare(url.hostname),
        port: portOf(url),
        path: url.pathname + url.search,
        headers,
        // A new pooled socket would otherwise start with the agent's idle limit as its timeout, and
        // a slow DNS lookup or connect would be cut at 500 ms.
        timeout: socketTimeoutMs,
    };
    const { tunnel } = route;
    const made = tunnel
        ? (0,external_node_http_namespaceObject.request)({
            ...options,
            defaultPort: url.protocol === 'https:' ? 443 : 80,
            createConnection: () => tunnel,
        })
        : (url.protocol === 'https:' ? external_node_https_namespaceObject.request : external_node_http_namespaceObject.request)({
            ...options,
            // Without a pool, a connection of its own, closed after the reply.
            agent: route.agent ?? false,
        });
    attempt.watch(attempt.hold(made));
    return new Promise((resolve, reject) => {
        made.once('response', resolve);
        made.on('error', reject);
        // A backstop only: the deadline ends the attempt first.
        made.setTimeout(socketTimeoutMs, () => made.destroy(Object.assign(new Error(`Request timeout: ${url.pathname}`), { code: 'ETIMEDOUT' })));
        made.end(request.body);
    });
}
/**
 * One HTTP attempt, through the runner's proxy if it has one (by @actions/http-client's rules),
 * with a real deadline: a socket timeout only fires on an idle socket, and not at all while a
 * proxy's CONNECT goes unanswered. At the deadline (or when the caller abandons it) the attempt
 * settles at once, whatever the request is doing, and ends what it holds. No redirects: they would
 * carry the client secret or the token to wherever the server points.
 */
async function send(request, clock, pool) {
    const proxy = proxyFor(request.url);
    const context = { request, proxy: proxy && `${proxy.protocol}//${proxy.host}` };
    const attempt = new RequestAttempt();
    if (request.signal?.aborted) {
        throw transportError(undefined, { established: false, stopped: 'abandoned' }, context);
    }
    let settle = () => undefined;
    const stopped = new Promise((_, reject) => (settle = reject));
    const stop = (why) => {
        if (attempt.stopped)
            return;
        attempt.stopped = why;
        settle(transportError(undefined, attempt, context));
        attempt.release();
    };
    const cancelDeadline = clock.deadline(request.timeoutMs, () => stop('deadline'));
    const abandon = () => stop('abandoned');
    request.signal?.addEventListener('abort', abandon, { once: true });
    const socketTimeoutMs = request.timeoutMs + 1000;
    const attemptIt = async () => {
        const route = proxy
            ? { tunnel: await openTunnel(request.url, proxy, attempt) }
            : { agent: pool?.agentFor(request.url) };
        const message = await exchange(request, route, attempt, socketTimeoutMs);
        const body = await readBody(message, request.maxBodyBytes ?? MAX_BODY_BYTES);
        return {
            status: message.statusCode ?? 0,
            statusText: message.statusMessage ?? '',
            headers: message.headers,
            body,
        };
    };
    try {
        return await Promise.race([
            attemptIt().catch((error) => {
                throw transportError(error, attempt, context);
            }),
            stopped,
        ]);
    }
    catch (error) {
        attempt.release();
        throw error;
    }
    finally {
        cancelDeadline();
        request.signal?.removeEventListener('abort', abandon);
    }
}
/** What a failed attempt means, from how far it got (see TransportFailure). */
function transportError(error, state, { request, proxy }) {
    const where = `${request.method} ${request.url.pathname}`;
    const through = proxy ? ` through the proxy ${proxy}` : '';
    const seconds = `${request.timeoutMs / 1000} s`;
    if (state.stopped === 'deadline') {
        return state.established
            ? new TransportError('timeout', `${where} did not complete within ${seconds}`)
            : new TransportError('not-connected', `${where} could not connect${through} within ${seconds}`);
    }
    if (state.stopped === 'abandoned') {
        return state.established
            ? new TransportError('connection-lost', `${where} was abandoned after it was sent`)
            : new TransportError('not-connected', `${where} was abandoned before it was sent`);
    }
    const { code = '', message = String(error) } = (error ?? {});
    if (state.established) {
        if (code === 'EBODYTOOLARGE') {
            return new TransportError('connection-lost', `${where} got a reply larger than ${(request.maxBodyBytes ?? MAX_BODY_BYTES) / 1024 / 1024} MiB, more than the action reads`);
        }
        return new TransportError('connection-lost', `${where} lost its connection (${code || message})`);
    }
    if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SIGNATURE/.test(code)) {
        return new TransportError('tls-handshake', `${where} could not connect securely${through}: the TLS handshake failed (${code})`);
    }
    // The proxy's refusal ("…statusCode=407") says more than the code it comes with.
    const detail = message.startsWith('tunneling socket') ? message : code || message;
    return new TransportError('not-connected', `${where} could not connect${through} (${detail})`);
}
/** Reads the whole body; fails (rather than hanging) when the connection breaks before its end. */
function readBody(message, maxBytes) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        let settled = false;
        const finish = (error) => {
            if (settled)
                return;
            settled = true;
            if (error) {
                message.destroy();
                reject(error);
            }
            else {
                resolve(Buffer.concat(chunks).toString('utf8'));
            }
        };
        message.on('data', (chunk) => {
            size += chunk.length;
            if (size > maxBytes) {
                finish(Object.assign(new Error('response body too large'), { code: 'EBODYTOOLARGE' }));
                return;
            }
            chunks.push(chunk);
        });
        message.on('end', () => {
            // `end` after `aborted` means the body was cut short (e.g. Content-Length not reached).
            if (message.complete)
                finish();
            else
                finish(Object.assign(new Error('response body ended early'), { code: 'ECONNRESET' }));
        });
        message.on('error', (error) => finish(error));
        message.on('close', () => {
            if (!message.complete)
                finish(Object.assign(new Error('connection closed mid-body'), { code: 'ECONNRESET' }));
        });
    });
}

;// CONCATENATED MODULE: ./src/model/json.ts
/** JSON as the action reads it, from a server's reply or a plan file. */
/** The value of a JSON text, or undefined when it is not JSON (never an exception). */
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/** A JSON object: not null, not an array. */
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

;// CONCATENATED MODULE: ./src/hindsite/retry.ts

/** The longest server-requested wait the action takes; beyond it the step fails and says when. */
const MAX_RETRY_AFTER_MS = 60_000;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 20_000;
/**
 * Exponential backoff with jitter: the n-th wait (n from 1) is drawn from the upper half of
 * base·2^(n-1), so concurrent clients spread out but a wait is never close to zero.
 */
function backoffDelayMs(retryNumber, random) {
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (retryNumber - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
/**
 * `Retry-After` as milliseconds from now: either delay-seconds or an HTTP date. Undefined when absent
 * or unreadable (then our own backoff applies).
 */
function parseRetryAfter(value, nowMs) {
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (!text)
        return undefined;
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    if (!/[a-z]/i.test(text))
        return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at))
        return undefined;
    return Math.max(0, at - nowMs);
}
/**
 * Runs `attempt` until it is done, throws, or `maxAttempts` attempts have failed. Only failures the
 * caller classed as safe to repeat come back here as a `reason`; every other failure is thrown by
 * `attempt` itself. Once `signal` aborts (the caller no longer needs the result), no retry starts.
 */
async function withRetries(what, context, attempt, signal) {
    for (let attemptNumber = 1;; attemptNumber++) {
        const result = await attempt(attemptNumber);
        if ('done' in result)
            return result.done;
        if (attemptNumber >= context.maxAttempts || signal?.aborted) {
            throw result.error(attemptNumber);
        }
        if (result.retryAfterMs !== undefined && result.retryAfterMs > MAX_RETRY_AFTER_MS) {
            const error = result.error(attemptNumber);
            // A server may ask for any number of seconds: past what a date can hold, say so in words.
            const at = new Date(context.clock.now() + result.retryAfterMs);
            const when = Number.isNaN(at.getTime())
                ? 'a time too far away to name'
                : `${at.toISOString()} (in ${Math.ceil(result.retryAfterMs / 1000)} s)`;
            throw new ApiError(`${error.message} The server asked to be called back at ${when}, which is longer than the ${MAX_RETRY_AFTER_MS / 1000} s this action waits; re-run after that time.`, error.outcome, error.status);
        }
        const waitMs = result.retryAfterMs ?? backoffDelayMs(attemptNumber, () => context.clock.random());
        const source = result.retryAfterMs !== undefined ? ' (Retry-After)' : '';
        context.log.info(`${what}: ${result.reason}; attempt ${attemptNumber} of ${context.maxAttempts}, retrying in ${(waitMs / 1000).toFixed(1)} s${source}.`);
        const pace = context.pace;
        if (pace && result.retryAfterMs !== undefined) {
            // The server's wait holds every paced call, and this call waits for it in the pace, at its
            // own place: it goes first after the hold, before the calls that came after it.
            pace.hold(result.retryAfterMs);
        }
        else {
            await context.clock.sleep(waitMs, signal);
        }
        if (signal?.aborted)
            throw result.error(attemptNumber);
        if (pace && !(await pace.turn()))
            throw result.error(attemptNumber);
        if (signal?.aborted)
            throw result.error(attemptNumber);
    }
}

;// CONCATENATED MODULE: ./src/hindsite/policy.ts

const REACH = 'Check api-url and that HINDSITE is reachable from the runner.';
const CERTIFICATE = "Check api-url and the server's certificate (a private CA is trusted through NODE_EXTRA_CA_CERTS).";
const UNKNOWN = 'The outcome is unknown: HINDSITE may have created redeliveries for this batch, so it is not sent again.';
const LATER = 'HINDSITE may be unavailable; try again later.';
const LIMITED = 'HINDSITE is limiting requests; nothing was redelivered by this call. Try again later.';
const REDIRECTED = 'The server answered with a redirect, which the action does not follow (it would carry the credentials elsewhere): check api-url.';
const NOT_ADMIN = 'The credentials are not an admin of the HINDSITE organisation: use the client credentials of an organisation admin (HINDSITE support issues them).';
const REFUSED = 'The request was refused and not retried.';
const RETRY_AFTER_LIMIT = `${MAX_RETRY_AFTER_MS / 1000} s`;
/**
 * What to do when an API call's token is refused (HTTP 401), which the 400/401 row leaves to the
 * client: a token it obtained is renewed once first; an access-token input cannot be.
 */
const TOKEN_REFUSED_ADVICE = {
    accessToken: 'The access-token was refused (expired or revoked) and there is nothing to renew it with: pass a fresh access-token, or client-id and client-secret so the action can obtain tokens itself.',
    renewed: 'Check that the client is allowed to use the API.',
};
const retried = (outcome, advice) => ({ retry: true, outcome, advice });
const policy_final = (outcome, advice) => ({ retry: false, outcome, advice });
/** Token and list calls carry no delivery IDs: a failure of theirs leaves every ID unsent. */
const byEndpoint = (token, list, bulk) => ({
    token,
    list,
    bulk,
});
const RETRY_POLICY = [
    {
        kind: 'not-connected',
        label: 'No connection: refused, DNS failure, or not connected (through the proxy) within timeout-seconds; nothing was written',
        rules: byEndpoint(retried('not-sent', REACH), retried('not-sent', REACH), retried('not-sent', `${REACH} Nothing was sent for this batch.`)),
    },
    {
        kind: 'tls-handshake',
        label: 'TLS handshake failed (untrusted or wrong certificate)',
        rules: byEndpoint(policy_final('not-sent', CERTIFICATE), policy_final('not-sent', CERTIFICATE), policy_final('not-sent', CERTIFICATE)),
    },
    {
        kind: 'timeout',
        label: 'No complete reply within timeout-seconds after connecting',
        rules: byEndpoint(retried('not-sent', REACH), retried('not-sent', REACH), policy_final('unknown', UNKNOWN)),
    },
    {
        kind: 'connection-lost',
        label: 'Connection lost after it was made (a TLS error after the handshake included)',
        rules: byEndpoint(retried('not-sent', REACH), retried('not-sent', REACH), policy_final('unknown', UNKNOWN)),
    },
    {
        kind: 'unreadable',
        label: '2xx with a body that is not the documented JSON',
        rules: byEndpoint(retried('not-sent', 'The token endpoint answered without a usable token.'), retried('not-sent', LATER), policy_final('unknown', UNKNOWN)),
    },
    {
        kind: 'status-3xx',
        label: '3xx (redirects are not followed)',
        rules: byEndpoint(policy_final('not-sent', REDIRECTED), policy_final('not-sent', REDIRECTED), policy_final('unknown', `${REDIRECTED} ${UNKNOWN}`)),
    },
    {
        kind: 'status-400-401',
        label: '400, 401 (a 401 on an API call first renews the token once)',
        rules: byEndpoint(policy_final('not-sent', 'Check client-id and client-secret (HINDSITE support issues them), and that api-url points at the right HINDSITE host.'), policy_final('not-sent', REFUSED), policy_final('refused', REFUSED)),
    },
    {
        kind: 'status-403',
        label: '403',
        rules: byEndpoint(policy_final('not-sent', 'The client is not allowed to obtain tokens: ask HINDSITE support for the credentials of an organisation admin.'), policy_final('not-sent', NOT_ADMIN), policy_final('refused', NOT_ADMIN)),
    },
    {
        kind: 'status-404-405',
        label: '404, 405',
        rules: byEndpoint(policy_final('not-sent', 'No token endpoint there: check api-url (the base URL of the HINDSITE API, without /oauth/token).'), policy_final('not-sent', REFUSED), policy_final('refused', REFUSED)),
    },
    {
        kind: 'status-4xx',
        label: 'Other 4xx (422, …)',
        rules: byEndpoint(policy_final('not-sent', 'The token request was refused.'), policy_final('not-sent', REFUSED), policy_final('refused', REFUSED)),
    },
    {
        kind: 'status-429',
        label: `429 (Retry-After honoured up to ${RETRY_AFTER_LIMIT})`,
        rules: byEndpoint(retried('not-sent', LATER), retried('not-sent', LATER), retried('refused', LIMITED)),
    },
    {
        // A gateway in front of HINDSITE answers 502, 503 or 504 when the origin reset or timed out,
        // possibly after it created the deliveries: only a 429 proves that nothing was done.
        kind: 'status-5xx',
        label: `500, 502, 503, 504, other 5xx (Retry-After honoured up to ${RETRY_AFTER_LIMIT} where retried)`,
        rules: byEndpoint(retried('not-sent', LATER), retried('not-sent', LATER), policy_final('unknown', UNKNOWN)),
    },
];
const BY_KIND = new Map(RETRY_POLICY.map((row) => [row.kind, row.rules]));
function ruleFor(endpoint, kind) {
    return BY_KIND.get(kind)[endpoint];
}
/** The failure kind of an HTTP status that is not a success. */
function statusKind(status) {
    if (status === 400 || status === 401)
        return 'status-400-401';
    if (status === 403)
        return 'status-403';
    if (status === 404 || status === 405)
        return 'status-404-405';
    if (status >= 300 && status < 400)
        return 'status-3xx';
    if (status === 429)
        return 'status-429';
    if (status >= 500)
        return 'status-5xx';
    return 'status-4xx';
}
/** The README's table, rendered from RETRY_POLICY. */
function renderPolicyTable() {
    const cell = (endpoint, rule) => {
        const action = rule.retry ? 'retried' : 'not retried';
        if (endpoint !== 'bulk')
            return action;
        const ids = {
            'not-sent': 'IDs unsent',
            refused: 'IDs refused',
            unknown: 'IDs outcome unknown',
        };
        return `${action}; ${rule.retry ? 'then ' : ''}${ids[rule.outcome]}`;
    };
    return [
        '| Failure | Token exchange | List (discovery, wait) | Bulk redelivery |',
        '| --- | --- | --- | --- |',
        ...RETRY_POLICY.map((row) => `| ${row.label} | ${cell('token', row.rules.token)} | ${cell('list', row.rules.list)} | ${cell('bulk', row.rules.bulk)} |`),
    ].join('\n');
}

;// CONCATENATED MODULE: ./src/model/redact.ts
/**
 * Removes secrets from whatever the action shows: log lines, the failure message, outputs, the job
 * summary and the report file. `core.setSecret` only asks the runner to mask its own log, and only
 * the raw text; the files and outputs are ours to keep clean, including when a server echoes a
 * secret back in another spelling (JSON- or URL-escaped, in base64 as an HTTP Basic or Bearer
 * credential, HTML- or Markdown-escaped) or a cut leaves its first half.
 *
 * How:
 * - Escapes are decoded into a view of the text in which each character remembers the span of the
 *   original it came from (`\uXXXX`, `\/` and the other backslash escapes of JSON and Markdown,
 *   `%XX` including UTF-8 sequences, HTML character references). A secret found in the view is
 *   replaced in the original, whichever characters of it were escaped and however (a second round
 *   decodes what the first produced: `%255C`, `&amp;lt;`). Spaces and `+` count as the same
 *   character, since form encoding writes one as the other.
 * - Base64 cannot be decoded in place (one character carries bits of two bytes), so each secret is
 *   encoded ahead, at the three byte offsets it can have inside a longer string: a secret inside
 *   `client-id:secret` or `Bearer <token>` shows as one of those, minus a character or two at each
 *   end, whatever surrounds it. Both alphabets (standard and URL-safe); padding never counts.
 * - A text cut by wire.ts ends in CUT_MARK; what stands right before it is checked for a beginning
 *   of a secret, since a cut through a secret would otherwise print its first half.
 * - Secrets shorter than MIN_SUBSTRING_CHARS are replaced only where a whole value equals them: a
 *   one-character token (`"`) or a common one (`dlv`) cannot be cut out of every message and every
 *   ID without destroying them. The runner still masks them in its log.
 *
 * For a given set of secrets, everything is linear in the text: literal alternatives (no nested
 * quantifiers) and a fixed number of decoding rounds. Callers redact values, not serialized text
 * (see `redactValues`), so that no replacement can cut through JSON or Markdown syntax.
 */
const MASK = '***';
/** Secrets shorter than this are replaced only where a whole value is the secret. */
const MIN_SUBSTRING_CHARS = 6;
/** A cut text may end in fewer first characters of a secret than this, never in more. */
const MIN_PREFIX_CHARS = 4;
/** What wire.ts appends where it cut a text. */
const CUT_MARK = '…';
/** Cuts checked per text, from its end: ours are few; a hostile body may hold a million. */
const CUT_MARKS_CHECKED = 256;
/** Escapes of escapes (`%255C`, `&amp;#x2F;`) are decoded once more; deeper nesting is not. */
const DECODE_ROUNDS = 2;
/** What a secret looks like once the escapes around it are decoded: spaces count as `+`. */
function fold(text) {
    return text.replace(/ /g, '+');
}
/** Each secret's base64, at the three byte offsets it can start at inside a longer string. */
function base64Forms(secret) {
    const forms = new Set();
    // Form encoding is what RFC 6749 asks for before client credentials go into HTTP Basic.
    const spellings = new Set([secret, new URLSearchParams({ s: secret }).toString().slice(2)]);
    for (const spelling of spellings) {
        const bytes = Buffer.from(spelling, 'utf8');
        for (let offset = 0; offset < 3; offset++) {
            const encoded = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)]).toString('base64');
            // Only the characters whose 6 bits all come from the secret: the same whatever surrounds it.
            const first = Math.ceil((8 * offset) / 6);
            const end = Math.floor((8 * (offset + bytes.length)) / 6);
            const middle = encoded.slice(first, end);
            if (middle.length < MIN_SUBSTRING_CHARS)
                continue;
            forms.add(middle);
            forms.add(middle.replace(/\+/g, '-').replace(/\//g, '_'));
        }
    }
    return [...forms];
}
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** One set of literal forms and a pattern that finds each of them. */
class Forms {
    list;
    pattern;
    shortest;
    constructor(forms) {
        // Longest first: where two forms start at the same place, the longer one is taken.
        this.list = [...new Set(forms)].sort((a, b) => b.length - a.length);
        this.pattern = new RegExp(this.list.map(escapeRegExp).join('|'), 'g');
        this.shortest = Math.min(...this.list.map((form) => form.length));
    }
}
/** A text with each character's span in the original; without spans, it is the original. */
class View {
    text;
    starts;
    ends;
    constructor(text, starts, ends) {
        this.text = text;
        this.starts = starts;
        this.ends = ends;
    }
    /** Where view characters `from` (inclusive) to `to` (exclusive) came from in the original. */
    origin(from, to) {
        return [this.starts ? this.starts[from] : from, this.ends ? this.ends[to - 1] : to];
    }
}
const HEX = /^[0-9a-fA-F]+$/;
const hexAt = (text, at, digits) => {
    const part = text.slice(at, at + digits);
    return part.length === digits && HEX.test(part) ? parseInt(part, 16) : -1;
};
const isAsciiPunctuation = (code) => (code >= 0x21 && code <= 0x2f) ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7e);
const JSON_ESCAPES = { b: 8, f: 12, n: 10, r: 13, t: 9 };
/** The named references that spell punctuation (the ones an escaper writes), and no others. */
const ENTITIES = {
    amp: '&',
    AMP: '&',
    lt: '<',
    LT: '<',
    gt: '>',
    GT: '>',
    quot: '"',
    QUOT: '"',
    apos: "'",
    sol: '/',
    bsol: '\\',
    lowbar: '_',
    UnderBar: '_',
    plus: '+',
    equals: '=',
    colon: ':',
    semi: ';',
    comma: ',',
    period: '.',
    num: '#',
    excl: '!',
    quest: '?',
    percnt: '%',
    dollar: '$',
    commat: '@',
    ast: '*',
    midast: '*',
    lpar: '(',
    rpar: ')',
    lsqb: '[',
    lbrack: '[',
    rsqb: ']',
    rbrack: ']',
    lcub: '{',
    lbrace: '{',
    rcub: '}',
    rbrace: '}',
    verbar: '|',
    vert: '|',
    VerticalLine: '|',
    grave: '`',
    Hat: '^',
    NewLine: '\n',
    Tab: '\t',
};
/** One escape at `at`: the characters it stands for and how many it takes, or undefined. */
function escapeAt(text, at) {
    const char = text[at];
    if (char === '\\') {
        const next = text.charCodeAt(at + 1);
        if (next === 0x75 /* u */) {
            const unit = hexAt(text, at + 2, 4);
            return unit < 0 ? undefined : [String.fromCharCode(unit), 6];
        }
        if (next === 0x78 /* x */) {
            const byte = hexAt(text, at + 2, 2);
            return byte < 0 ? undefined : [String.fromCharCode(byte), 4];
        }
        const json = JSON_ESCAPES[text[at + 1] ?? ''];
        if (json !== undefined)
            return [String.fromCharCode(json), 2];
        return isAsciiPunctuation(next) ? [text[at + 1], 2] : undefined;
    }
    if (char === '%')
        return percentAt(text, at);
    if (char === '&')
        return referenceAt(text, at);
    return undefined;
}
/** `%XX`, or a whole `%XX%XX…` UTF-8 sequence for a character outside ASCII. */
function percentAt(text, at) {
    const lead = hexAt(text, at + 1, 2);
    if (lead < 0)
        return undefined;
    if (lead < 0x80)
        return [String.fromCharCode(lead), 3];
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (length === 0)
        return undefined;
    let codePoint = lead & (0xff >> (length + 1));
    for (let index = 1; index < length; index++) {
        const byte = text[at + 3 * index] === '%' ? hexAt(text, at + 3 * index + 1, 2) : -1;
        if (byte < 0x80 || byte > 0xbf)
            return undefined;
        codePoint = (codePoint << 6) | (byte & 0x3f);
    }
    return codePoint > 0x10ffff ? undefined : [String.fromCodePoint(codePoint), 3 * length];
}
/** `&#47;`, `&#x2F;` (the `;` may be left out, as browsers allow) or a named reference. */
function referenceAt(text, at) {
    if (text[at + 1] === '#') {
        const hex = text[at + 2] === 'x' || text[at + 2] === 'X';
        const first = at + (hex ? 3 : 2);
        const digits = (hex ? /^[0-9a-fA-F]{1,6}/ : /^[0-9]{1,7}/).exec(text.slice(first, first + 7));
        if (!digits)
            return undefined;
        const codePoint = parseInt(digits[0], hex ? 16 : 10);
        if (codePoint > 0x10ffff)
            return undefined;
        const end = first + digits[0].length;
        return [String.fromCodePoint(codePoint), end - at + (text[end] === ';' ? 1 : 0)];
    }
    const name = /^([A-Za-z]{2,12});/.exec(text.slice(at + 1, at + 15));
    const decoded = name ? ENTITIES[name[1]] : undefined;
    return decoded === undefined ? undefined : [decoded, name[0].length + 1];
}
/** Characters that may start an escape; a view is only built for a text holding one. */
const ESCAPE_STARTS = /[\\%&]/;
/** The text with one round of escapes decoded (and spaces folded), each character mapped back. */
function decode(view) {
    const source = view.text;
    const chars = [];
    const starts = new Int32Array(source.length);
    const ends = new Int32Array(source.length);
    let length = 0;
    for (let at = 0; at < source.length;) {
        const escape = escapeAt(source, at);
        const [decoded, width] = escape ?? [source[at], 1];
        const [start, end] = view.origin(at, at + width);
        // A decoded character outside the BMP is two units, both from the same span.
        for (let unit = 0; unit < decoded.length; unit++) {
            chars.push(decoded[unit] === ' ' ? '+' : decoded[unit]);
            starts[length] = start;
            ends[length] = end;
            length++;
        }
        at += width;
    }
    return new View(chars.join(''), starts, ends);
}
/** A short secret escaped twice takes at most 20 characters a character (`%25F0%259F%2598%2580`). */
const SHORT_ESCAPED_MAX_CHARS = 20 * (MIN_SUBSTRING_CHARS - 1);
class Redactor {
    secrets = new Set();
    compiled;
    /** Registers a secret: the client secret, an access token, each token issued. */
    add(secret) {
        if (!secret || this.secrets.has(secret))
            return;
        this.secrets.add(secret);
        this.compiled = undefined;
    }
    /** The text with every spelling of every secret replaced by `***` (see the file's comment). */
    redact(text) {
        if (this.secrets.size === 0 || text.length === 0)
            return text;
        const { raw, folded, folds, short } = this.compile();
        if (short.size > 0 && this.isShortSecret(text, short))
            return MASK;
        if (!raw || !folded)
            return text;
        // Decoding never makes a text longer, so a shorter one holds no form unless it was cut.
        if (text.length < raw.shortest && !text.includes(CUT_MARK))
            return text;
        const spans = [];
        let view = new View(text);
        for (let round = 0;; round++) {
            const forms = round === 0 ? raw : folded;
            findForms(view, forms, spans);
            findCutPrefixes(view, forms, spans);
            const escaped = ESCAPE_STARTS.test(view.text) || (folds && /[ +]/.test(view.text));
            if (round === DECODE_ROUNDS || !escaped)
                break;
            view = decode(view);
        }
        return spans.length === 0 ? text : replaceSpans(text, spans);
    }
    /**
     * A copy of `value` with every string in it redacted as a value of its own (arrays, plain
     * objects, Maps, Sets and errors are walked; anything unchanged is returned as is, not copied).
     * Serializing afterwards keeps JSON valid and IDs whole, whatever the secrets are.
     */
    redactValues(value) {
        if (this.secrets.size === 0)
            return value;
        const seen = new Map();
        const walk = (item) => {
            if (typeof item === 'string')
                return this.redact(item);
            if (typeof item !== 'object' || item === null)
                return item;
            if (seen.has(item))
                return seen.get(item);
            seen.set(item, item);
            const copy = copyRedacted(item, walk);
            seen.set(item, copy);
            return copy;
        };
        return walk(value);
    }
    compile() {
        if (this.compiled)
            return this.compiled;
        const long = [...this.secrets].filter((secret) => secret.length >= MIN_SUBSTRING_CHARS);
        const forms = long.flatMap((secret) => [secret, ...base64Forms(secret)]);
        const short = new Set();
        for (const secret of this.secrets) {
            if (secret.length < MIN_SUBSTRING_CHARS)
                short.add(secret).add(fold(secret));
        }
        this.compiled = {
            raw: forms.length > 0 ? new Forms(forms) : undefined,
            folded: forms.length > 0 ? new Forms(forms.map(fold)) : undefined,
            folds: long.some((secret) => /[ +]/.test(secret)),
            short,
        };
        return this.compiled;
    }
    /** Whether the whole text is a short secret, as written or escaped. */
    isShortSecret(text, short) {
        if (short.has(text))
            return true;
        if (text.length > SHORT_ESCAPED_MAX_CHARS || !ESCAPE_STARTS.test(text))
            return false;
        let view = new View(text);
        for (let round = 0; round < DECODE_ROUNDS; round++) {
            view = decode(view);
            if (short.has(view.text))
                return true;
        }
        return false;
    }
}
/** Each place in the view where a form stands, as a span of the original. */
function findForms(view, forms, spans) {
    if (view.text.length < forms.shortest)
        return;
    const pattern = forms.pattern;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(view.text); match; match = pattern.exec(view.text)) {
        spans.push(view.origin(match.index, match.index + match[0].length));
        // Forms may overlap (one secret inside another's base64): look again one character on.
        pattern.lastIndex = match.index + 1;
    }
}
/** Beginnings of a form that end right where the text was cut. */
function findCutPrefixes(view, forms, spans) {
    const text = view.text;
    let cut = text.lastIndexOf(CUT_MARK);
    for (let checked = 0; cut >= MIN_PREFIX_CHARS && checked < CUT_MARKS_CHECKED; checked++) {
        for (const form of forms.list) {
            const longest = Math.min(form.length - 1, cut);
            for (let length = longest; length >= MIN_PREFIX_CHARS; length--) {
                if (text.charCodeAt(cut - length) !== form.charCodeAt(0))
                    continue;
                if (form.startsWith(text.slice(cut - length, cut))) {
                    spans.push(view.origin(cut - length, cut));
                    break;
                }
            }
        }
        cut = cut > 0 ? text.lastIndexOf(CUT_MARK, cut - 1) : -1;
    }
}
/** The text with each span (merged where they touch or overlap) replaced by the mask. */
function replaceSpans(text, spans) {
    spans.sort((a, b) => a[0] - b[0]);
    const parts = [];
    let kept = 0;
    for (let index = 0; index < spans.length;) {
        const start = spans[index][0];
        let end = spans[index++][1];
        while (index < spans.length && spans[index][0] <= end)
            end = Math.max(end, spans[index++][1]);
        parts.push(text.slice(kept, start), MASK);
        kept = end;
    }
    parts.push(text.slice(kept));
    return parts.join('');
}
/** A container with its strings redacted, or the container itself when none changed. */
function copyRedacted(item, walk) {
    if (Array.isArray(item)) {
        const items = item;
        // Copied only from the first element that changes.
        let copy;
        items.forEach((value, index) => {
            const clean = walk(value);
            if (copy)
                copy.push(clean);
            else if (clean !== value)
                copy = [...items.slice(0, index), clean];
        });
        return copy ?? items;
    }
    if (item instanceof Map) {
        const entries = [...item].map(([key, value]) => [walk(key), walk(value)]);
        const changed = entries.some(([key, value]) => !item.has(key) || item.get(key) !== value);
        return changed ? new Map(entries) : item;
    }
    if (item instanceof Set) {
        const values = [...item].map(walk);
        return values.some((value) => !item.has(value)) ? new Set(values) : item;
    }
    const prototype = Object.getPrototypeOf(item);
    // Plain records and errors (an ApiError's message) only: a Date, URL or buffer is left as is.
    if (prototype !== Object.prototype && prototype !== null && !(item instanceof Error))
        return item;
    // Descriptors are read only once a value changes: most records (100,000 deliveries) do not, and
    // copying each one's descriptors would double the memory the run peaks at.
    let descriptors;
    for (const key of Reflect.ownKeys(item)) {
        const descriptor = Object.getOwnPropertyDescriptor(item, key);
        if (!descriptor || !('value' in descriptor))
            continue;
        const value = walk(descriptor.value);
        if (value === descriptor.value)
            continue;
        descriptors ??= Object.getOwnPropertyDescriptors(item);
        descriptors[key].value = value;
    }
    return descriptors ? Object.create(prototype, descriptors) : item;
}

;// CONCATENATED MODULE: ./src/model/text.ts
/** Text as the action prints it: counts in words, and text from outside made safe to print. */
/** "1 delivery", "5 deliveries": counts read as words, in logs and messages alike. */
function plural(count, one, many = `${one}s`) {
    return `${formatCount(count)} ${count === 1 ? one : many}`;
}
/**
 * "100,000": a number with a comma between thousands, as en-US writes it. Not toLocaleString,
 * whose first call loads ICU's locale data, 10-20 ms of every start; one way of writing counts
 * is all the action needs. Numbers that String writes with an exponent, NaN and the infinities
 * are left as String writes them.
 */
function formatCount(count) {
    const text = String(Math.abs(count));
    if (!Number.isFinite(count) || text.includes('e'))
        return String(count);
    const [whole = '', fraction] = text.split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
    return `${count < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
/** C0 controls but tab and newline, DEL, C1 controls, line separators and bidi controls. */
const UNPRINTABLE = 
// eslint-disable-next-line no-control-regex -- finding control characters is the point
/[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/**
 * Text from outside the action (a server's error body, an ID, a file name) made safe to print in
 * the runner's log. Control characters would recolour or rewrite the log (ANSI sequences, a bare
 * carriage return starts a new runner line), and bidirectional controls reorder what a reader sees;
 * each is shown as an escape instead (`\x1b`, `\u202e`), so the text stays readable and inert.
 */
function printable(text) {
    return text.replace(UNPRINTABLE, (char) => {
        const code = char.charCodeAt(0);
        return code < 0x100
            ? `\\x${code.toString(16).padStart(2, '0')}`
            : `\\u${code.toString(16).padStart(4, '0')}`;
    });
}

;// CONCATENATED MODULE: ./src/hindsite/server-text.ts
/**
 * The server's own words in a message: a reply body (an error object, a page of HTML, anything)
 * made into one short printable line, whatever its size or markup.
 */



const EXCERPT_CHARS = 200;
/**
 * How much of a body is cleaned up for its text. Nothing that looks at a body's text runs over more
 * than this, so a reply of any size costs the same few microseconds (a 1 MB HTML page once held
 * the step for minutes whatever its deadline).
 */
const TEXT_WINDOW_CHARS = 8 * 1024;
/**
 * The server's own words: OAuth/JSON error fields when present, else the start of the body as text
 * without its markup. One line, control characters escaped, at most EXCERPT_CHARS; a body that is
 * not text at all (a gzip stream) is named, not shown.
 */
function serverText(body) {
    // JSON.parse is linear and native; only what it yields is cut down before any cleanup.
    const json = parseJson(body);
    if (isObject(json)) {
        const parts = ['error', 'error_description', 'message', 'detail', 'errors']
            .map((key) => json[key])
            .filter((value) => value !== undefined && value !== null)
            .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
        if (parts.length > 0)
            return excerpt(parts.join(': '));
    }
    const window = cutAt(body, TEXT_WINDOW_CHARS);
    if (isBinary(window))
        return `a body that is not text (${body.length} characters, not shown)`;
    return excerpt(withoutMarkup(window), window.length < body.length);
}
/** One line of at most EXCERPT_CHARS, controls escaped, ending in CUT_MARK where anything was left out. */
function excerpt(text, cut = false) {
    const window = cutAt(text, TEXT_WINDOW_CHARS);
    const line = printable(window.replace(/\s+/g, ' ').trim());
    return shorten(line, cut || window.length < text.length);
}
/** At most EXCERPT_CHARS, without a final full stop (messages add their own). */
function shorten(text, cut = false) {
    if (text.length > EXCERPT_CHARS)
        return `${cutAt(text, EXCERPT_CHARS)}${CUT_MARK}`;
    if (cut)
        return `${text}${CUT_MARK}`;
    let end = text.length;
    while (end > 0 && text[end - 1] === '.')
        end--;
    return text.slice(0, end);
}
/** The first `max` characters, never half of a surrogate pair. */
function cutAt(text, max) {
    if (text.length <= max)
        return text;
    const last = text.charCodeAt(max - 1);
    return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
/** A NUL, or more than one character in ten a control or an undecodable byte. */
function isBinary(text) {
    if (text.includes('\0'))
        return true;
    // eslint-disable-next-line no-control-regex -- counting control characters is the point
    const odd = text.match(/[\x01-\x08\x0e-\x1f\x7f-\x9f\ufffd]/g)?.length ?? 0;
    return odd * 10 > text.length;
}
/**
 * The text of an HTML page: tags dropped, script and style elements dropped whole (an unclosed one
 * to the end). One pass with indexOf, no backtracking: linear whatever the markup.
 */
function withoutMarkup(html) {
    const kept = [];
    let at = 0;
    while (at < html.length) {
        const open = html.indexOf('<', at);
        if (open < 0) {
            kept.push(html.slice(at));
            break;
        }
        kept.push(html.slice(at, open));
        // `a < b` is text; a tag starts with a letter, `/`, `!` or `?`.
        if (!/[A-Za-z/!?]/.test(html[open + 1] ?? '')) {
            kept.push('<');
            at = open + 1;
            continue;
        }
        const close = html.indexOf('>', open + 1);
        if (close < 0)
            break;
        kept.push(' ');
        at = close + 1;
        const name = /^[A-Za-z]+/.exec(html.slice(open + 1, open + 8))?.[0].toLowerCase();
        if (name === 'script' || name === 'style') {
            const end = indexOfIgnoringCase(html, `</${name}`, at);
            const endClose = end < 0 ? -1 : html.indexOf('>', end);
            if (endClose < 0)
                break;
            at = endClose + 1;
        }
    }
    return kept.join('');
}
/** `needle` (lower case) in `text` from `from` on, in any case. Linear: each `<` is looked at once. */
function indexOfIgnoringCase(text, needle, from) {
    for (let at = text.indexOf('<', from); at >= 0; at = text.indexOf('<', at + 1)) {
        if (text.slice(at, at + needle.length).toLowerCase() === needle)
            return at;
    }
    return -1;
}

;// CONCATENATED MODULE: ./src/hindsite/token.ts
/** Renew a token this long before the server says it expires. */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;
/** Trust the server's issue time only when our clocks agree this closely. */
const CLOCK_AGREEMENT_MS = 5 * 60_000;
/**
 * When to stop using a token: a minute before it expires, or at half its life for a short-lived
 * one (a minute early could be never).
 */
function renewAtMs(reply, nowMs) {
    const createdAt = reply.createdAtSeconds === undefined ? nowMs : reply.createdAtSeconds * 1000;
    const issuedAt = Math.abs(createdAt - nowMs) < CLOCK_AGREEMENT_MS ? createdAt : nowMs;
    const lifetimeMs = reply.expiresInSeconds * 1000;
    return issuedAt + lifetimeMs - Math.min(TOKEN_EXPIRY_MARGIN_MS, lifetimeMs / 2);
}
/**
 * The access token's life: obtained on first use, shared by concurrent calls (one exchange at a
 * time), renewed before it expires, and dropped when a call is refused with it.
 */
class TokenSource {
    exchange;
    clock;
    token;
    exchanging;
    constructor(exchange, clock) {
        this.exchange = exchange;
        this.clock = clock;
    }
    async bearer() {
        if (this.token && this.clock.now() < this.token.renewAtMs)
            return this.token.value;
        this.exchanging ??= this.exchange()
            .then((reply) => ({
            value: reply.accessToken,
            renewAtMs: renewAtMs(reply, this.clock.now()),
        }))
            .finally(() => {
            this.exchanging = undefined;
        });
        this.token = await this.exchanging;
        return this.token.value;
    }
    /** Drops the token a call was refused with, unless another call already replaced it. */
    forget(token) {
        if (this.token?.value === token)
            this.token = undefined;
    }
}

;// CONCATENATED MODULE: ./src/model/domain.ts
/**
 * The data every stage speaks: deliveries as the action understands them, the filters of the list
 * call, what one bulk call did. No stage needs the HTTP client to name its data.
 */
const DELIVERY_STATES = [
    'errored',
    'retrying',
    'completed',
    'pending',
    'in_progress',
];
/**
 * The event a delivery belongs to, per webhook: one event reaches every webhook subscribed to it,
 * and a redelivery keeps the event. Undefined when the API did not say.
 */
function eventKey(delivery) {
    return delivery?.eventId === undefined
        ? undefined
        : `${delivery.webhookId ?? ''}\u0000${delivery.eventId}`;
}
// ISO 8601 / RFC 3339, as the docs' `format: date-time` says (Date.parse alone takes far more: other
// shapes, and years from -271821 to 275760, past which any arithmetic makes an invalid date).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
/** Whether a text is a date-time in the documented shape, and a real instant. */
function isDateTime(text) {
    return typeof text === 'string' && DATE_TIME.test(text) && !Number.isNaN(Date.parse(text));
}
/**
 * A delivery's `created_at` in ms since the epoch; undefined when absent, unreadable or not in the
 * documented shape (which keeps it within years 0000 to 9999).
 */
function createdAtMs(delivery) {
    const text = delivery.createdAt;
    if (typeof text !== 'string' || !DATE_TIME.test(text))
        return undefined;
    // Parsed once (isDateTime would parse it a second time): this runs per row of 100,000s.
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
}
/**
 * The `since` of a list window that starts at `ms`: never an invalid date, and never before 1970
 * (a window from then on lists everything; an earlier one only risks a server's refusal).
 * Undefined when `ms` is not a time at all.
 */
function windowStart(ms) {
    if (Number.isNaN(ms))
        return undefined;
    return new Date(Math.min(Math.max(ms, 0), MAX_DATE_MS));
}
/** The latest time a Date can hold. */
const MAX_DATE_MS = 8.64e15;
/**
 * What a delivery ID may be. Loose enough for any ID format HINDSITE may use (it documents none),
 * tight enough that a file of secrets (KEY=value lines, /proc/self/environ) or of binary data is
 * refused rather than printed and sent, and that an ID a server returns cannot carry markup or
 * commands: no control characters, no white space, no '=' and no quotes.
 *
 * Printable ASCII only: beyond it one ID has several spellings (a full-width digit, an accent as
 * one character or as a letter and a combining mark) that are different strings here, so they
 * would be sent as two IDs, but that HINDSITE may normalise to one delivery and redeliver twice.
 */
const DELIVERY_ID = /^[\x21-\x7e]{1,128}$/;
const NOT_IN_ID = /[="'`]/;
function isDeliveryId(id) {
    return DELIVERY_ID.test(id) && !NOT_IN_ID.test(id);
}
/** An event action (event-action) has the same shape as an ID: a printable ASCII token. */
const isEventAction = isDeliveryId;
/** Rows of new deliveries (and plan rows) shown in full in the job summary; beyond them, IDs only. */
const SUMMARY_ROWS = 100;

;// CONCATENATED MODULE: ./src/hindsite/wire.ts
/**
 * The wire format of HINDSITE's replies, as the action reads it: every field name and shape it
 * relies on is here, once. Anything that does not match is "not the documented reply", never a
 * guess.
 */


/*
 * The wire format. Every name the action sends or reads is written once, here: the client builds its requests and
 * parses the replies with these, and the contract suite (`npm run contract`) checks the real API
 * against the same definitions (its table of assumptions is contract/assumptions.ts, not part of
 * the action).
 */
/** The paths of the three calls, below the api-url. */
const API_PATHS = {
    token: '/oauth/token',
    list: '/api/v2/webhook_deliveries',
    bulk: '/api/v2/webhook_deliveries/redeliveries',
};
/** The list call's query parameters (the documented four, and no page size: none is documented). */
const LIST_PARAMS = {
    webhookId: 'webhook_id',
    state: 'state',
    since: 'since',
    page: 'page',
};
/** The token reply's fields. */
const TOKEN_FIELDS = {
    accessToken: 'access_token',
    tokenType: 'token_type',
    expiresIn: 'expires_in',
    createdAt: 'created_at',
};
/** The top-level fields of the list and bulk replies, and the bulk reply's `meta.dropped_ids`. */
const REPLY_FIELDS = {
    deliveries: 'webhook_deliveries',
    meta: 'meta',
    droppedIds: 'dropped_ids',
};
/** The fields of a delivery object the action reads (`updated_at` is not read). */
const DELIVERY_FIELDS = {
    id: 'id',
    webhookId: 'webhook_id',
    eventId: 'event_id',
    eventAction: 'event_action',
    state: 'state',
    response: 'response',
    createdAt: 'created_at',
};
/**
 * The spellings read for a delivery's last response, the documented one first: the list reference
 * leaves them unconfirmed, so a few common others are read too.
 */
const RESPONSE_FIELDS = {
    code: ['code', 'status_code', 'http_status', 'status'],
    error: ['error', 'error_message', 'message'],
};
/** The request of a token exchange (a form, as OAuth 2.0 has it). */
function tokenRequestBody(clientId, clientSecret) {
    return new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
    }).toString();
}
/** The query of one list page. */
function listQuery(filters, page) {
    const query = new URLSearchParams();
    if (filters.webhookId)
        query.set(LIST_PARAMS.webhookId, filters.webhookId);
    if (filters.state)
        query.set(LIST_PARAMS.state, filters.state);
    // Whole seconds as plain ISO 8601 (no .000): the form every date-time parser accepts.
    if (filters.since)
        query.set(LIST_PARAMS.since, filters.since.toISOString().replace('.000Z', 'Z'));
    query.set(LIST_PARAMS.page, String(page));
    return query;
}
/** The body of a bulk redelivery call. */
function bulkRequestBody(deliveryIds) {
    return JSON.stringify({ delivery_ids: deliveryIds });
}
const WIRE_TYPES = {
    'delivery ID': (value) => typeof value === 'string' && isDeliveryId(value),
    // A webhook's or an event's ID, of the same shape as a delivery's.
    ID: (value) => typeof value === 'string' && isDeliveryId(value),
    'non-empty string': (value) => typeof value === 'string' && value.length > 0,
    string: (value) => typeof value === 'string',
    integer: (value) => Number.isInteger(value),
    'positive integer': (value) => Number.isInteger(value) && value > 0,
    'date-time': isDateTime,
    'delivery state': (value) => typeof value === 'string' && DELIVERY_STATES.includes(value),
    // OAuth 2.0 token types are case-insensitive.
    Bearer: (value) => typeof value === 'string' && value.toLowerCase() === 'bearer',
    array: (value) => Array.isArray(value),
    'array of strings': (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
    object: (value) => isObject(value),
    'object or null': (value) => value === null || isObject(value),
};
/**
 * The longest value the action reads from each string field of a delivery. Rows are held for as
 * long as a walk of the list lasts, so each of them must be of a sane size: an ID (the delivery's,
 * its webhook's and its event's) follows the action's own ID rule (printable, at most 128
 * characters); the other fields get room far beyond any value they are documented to hold. A row
 * past these is not the documented reply.
 */
const DELIVERY_FIELD_MAX_CHARS = {
    id: 128,
    webhook_id: 128,
    event_id: 128,
    event_action: 256,
    state: 64,
    created_at: 64,
    'response.error': 4096,
};
/** Why a reply is not the documented one: the field, and what is wrong with it (never its value). */
class Malformed {
    field;
    problem;
    constructor(field, problem) {
        this.field = field;
        this.problem = problem;
    }
    get text() {
        return `${this.field} ${this.problem}`;
    }
}
/** One shared copy of each webhook, action, state and error name, up to this many characters. */
const INTERNED_MAX_CHARS = 1_000_000;
const interned = new Map();
let internedChars = 0;
/**
 * On 100,000 deliveries, a copy per row would be most of the memory the action uses. The table
 * lives as long as the process, so it is bounded by its characters, not only by its entries.
 */
function intern(text) {
    const known = interned.get(text);
    if (known !== undefined)
        return known;
    if (interned.size < 10_000 && internedChars + text.length <= INTERNED_MAX_CHARS) {
        interned.set(text, text);
        internedChars += text.length;
    }
    return text;
}
const ID_WORDS = 'an ID (printable, at most 128 characters, without spaces, = or quotes)';
function readDelivery(value, at) {
    if (!isObject(value))
        return new Malformed(at, 'is not an object');
    // An ID that is not shaped like one is not the documented reply: it could carry markup into the
    // summary, or be sent back in a bulk call.
    const id = value[DELIVERY_FIELDS.id];
    if (!WIRE_TYPES['delivery ID'](id)) {
        const what = id === undefined
            ? 'is missing'
            : typeof id === 'string'
                ? `is not ${ID_WORDS}`
                : 'is not a string';
        return new Malformed(`${at}.${DELIVERY_FIELDS.id}`, what);
    }
    const texts = {};
    for (const key of TEXT_FIELDS) {
        const found = value[key];
        // Another type is read as absent, as it always was; only a string is held.
        if (typeof found !== 'string')
            continue;
        const max = DELIVERY_FIELD_MAX_CHARS[key];
        if (found.length > max)
            return tooLong(`${at}.${key}`, found, max);
        if (ID_FIELDS.has(key) && !isDeliveryId(found)) {
            return new Malformed(`${at}.${key}`, `is not ${ID_WORDS}`);
        }
        texts[key] = found;
    }
    const raw = value[DELIVERY_FIELDS.response];
    const response = isObject(raw) ? readResponse(raw, `${at}.${DELIVERY_FIELDS.response}`) : null;
    if (response instanceof Malformed)
        return response;
    const shared = (text) => text === undefined ? undefined : intern(text);
    return {
        id: id,
        webhookId: shared(texts.webhook_id),
        eventId: texts.event_id,
        eventAction: shared(texts.event_action),
        state: shared(texts.state),
        response,
        // Any other shape counts as absent (see isDateTime).
        createdAt: isDateTime(texts.created_at) ? texts.created_at : undefined,
    };
}
/** The string fields of a delivery besides its ID, and which of them are IDs. */
const TEXT_FIELDS = [
    DELIVERY_FIELDS.webhookId,
    DELIVERY_FIELDS.eventId,
    DELIVERY_FIELDS.eventAction,
    DELIVERY_FIELDS.state,
    DELIVERY_FIELDS.createdAt,
];
const ID_FIELDS = new Set([
    DELIVERY_FIELDS.webhookId,
    DELIVERY_FIELDS.eventId,
]);
/** "is 2097152 characters long, more than 128": the size, never the value. */
function tooLong(field, value, max) {
    return new Malformed(field, `is ${value.length} characters long, more than ${max}`);
}
/** The last HTTP response of a delivery, in whichever of RESPONSE_FIELDS' spellings it comes. */
function readResponse(value, at) {
    const first = (keys, type) => keys
        .map((key) => [key, value[key]])
        .find(([, found]) => typeof found === type);
    const code = first(RESPONSE_FIELDS.code, 'number')?.[1];
    const [errorKey, error] = first(RESPONSE_FIELDS.error, 'string') ?? [];
    const max = DELIVERY_FIELD_MAX_CHARS['response.error'];
    if (typeof error === 'string' && error.length > max) {
        return tooLong(`${at}.${errorKey}`, error, max);
    }
    return {
        code: typeof code === 'number' ? code : null,
        error: typeof error === 'string' ? intern(error) : null,
    };
}
function readDeliveries(value, at) {
    if (!Array.isArray(value))
        return new Malformed(at, value === undefined ? 'is missing' : 'is not an array');
    const deliveries = [];
    for (const [index, item] of value.entries()) {
        const delivery = readDelivery(item, `${at}[${index}]`);
        if (delivery instanceof Malformed)
            return delivery;
        deliveries.push(delivery);
    }
    return deliveries;
}
const wellFormed = (read) => read instanceof Malformed ? undefined : read;
/** A list page's deliveries, or which field makes it not the documented reply. */
function readListReply(body) {
    if (!isObject(body))
        return new Malformed('the reply', 'is not a JSON object');
    return readDeliveries(body[REPLY_FIELDS.deliveries], REPLY_FIELDS.deliveries);
}
function parseListReply(body) {
    return wellFormed(readListReply(body));
}
/** A bulk call's result, or which field makes it not the documented reply. */
function readBulkReply(body) {
    if (!isObject(body))
        return new Malformed('the reply', 'is not a JSON object');
    const created = readDeliveries(body[REPLY_FIELDS.deliveries], REPLY_FIELDS.deliveries);
    if (created instanceof Malformed)
        return created;
    const meta = body[REPLY_FIELDS.meta];
    const dropped = isObject(meta) ? meta[REPLY_FIELDS.droppedIds] : undefined;
    // Without the list, an ID HINDSITE dropped is one the reply does not account for: the ledger
    // reports it as outcome unknown, never as done.
    if (dropped === undefined || dropped === null)
        return { created, droppedIds: [] };
    if (!WIRE_TYPES['array of strings'](dropped)) {
        return new Malformed(`${REPLY_FIELDS.meta}.${REPLY_FIELDS.droppedIds}`, 'is not an array of strings');
    }
    return { created, droppedIds: dropped };
}
function parseBulkReply(body) {
    return wellFormed(readBulkReply(body));
}
function parseTokenReply(body) {
    if (!isObject(body))
        return undefined;
    const token = body[TOKEN_FIELDS.accessToken];
    if (!WIRE_TYPES['non-empty string'](token))
        return undefined;
    const expiresIn = body[TOKEN_FIELDS.expiresIn];
    const createdAt = body[TOKEN_FIELDS.createdAt];
    return {
        accessToken: token,
        expiresInSeconds: typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 7200,
        createdAtSeconds: typeof createdAt === 'number' ? createdAt : undefined,
    };
}
/** The top-level field names of a reply (never their values: they may be credentials). */
function fieldNames(body) {
    if (!isObject(body))
        return 'not a JSON object';
    return Object.keys(body).slice(0, 10).join(', ') || 'none';
}

;// CONCATENATED MODULE: ./src/hindsite/client.ts








/**
 * How much of an error body is looked at for its text: a JSON error object of any sane size, and
 * far more than the 8 KB of other text that serverText reads.
 */
const EXCERPT_SOURCE_CHARS = 64 * 1024;
/** The largest list page read (see listDeliveries). */
const LIST_PAGE_MAX_BYTES = 2 * 1024 * 1024;
/** An HTTP date as RFC 9110 has servers send it (IMF-fixdate), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
/** The server's time from a reply's `Date` header; undefined when absent or not an HTTP date. */
function serverTime(header) {
    const text = header?.trim();
    if (!text || !IMF_FIXDATE.test(text))
        return undefined;
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
}
/**
 * The only module that talks HTTP to HINDSITE. What a failure means, and whether a call is made
 * again, is decided by the table in policy.ts; this class only applies it.
 */
class HindsiteClient {
    options;
    connections;
    tokens;
    constructor(options) {
        this.options = options;
        this.connections = new ConnectionPool(options.clock);
        this.tokens = new TokenSource(() => this.exchangeCredentials(), options.clock);
    }
    /** Ends the pooled connections; the client is not used after this. */
    close() {
        this.connections.close();
    }
    /** Obtains a token now, so that bad credentials fail before any other work. */
    async authenticate() {
        await this.bearer();
    }
    /** One page of deliveries; `signal` abandons it (and its retries) when no longer needed. */
    async listDeliveries(filters, page, signal) {
        const url = this.endpoint(API_PATHS.list);
        url.search = listQuery(filters, page).toString();
        const what = `List deliveries (page ${page})`;
        return this.call('list', what, () => this.sendWithRenewal('list', what, (token) => ({
            method: 'GET',
            url,
            headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
            timeoutMs: this.options.timeoutMs,
            // Pages are held while discovery goes on: a page of a few MB of tiny rows would parse
            // into far more memory than its size. A page of even 1000 real rows is under 1 MB.
            maxBodyBytes: LIST_PAGE_MAX_BYTES,
            signal,
        })), readListReply, signal);
    }
    /**
     * One bulk call. `stop` (a cancelled job) lets no new attempt start; `abandon` also ends the
     * attempt in flight. In a paced run, each attempt carries `pace.ids()`.
     */
    async redeliver(deliveryIds, label, signals = {}, pace) {
        const { stop, abandon } = signals;
        const noMoreAttempts = stop && abandon ? AbortSignal.any([stop, abandon]) : (stop ?? abandon);
        const url = this.endpoint(API_PATHS.bulk);
        const what = `Bulk redelivery (${label})`;
        return this.call('bulk', what, () => this.sendWithRenewal('bulk', what, (token) => ({
            method: 'POST',
            url,
            headers: {
                authorization: `Bearer ${token}`,
                accept: 'application/json',
                'content-type': 'application/json',
            },
            // Each attempt's own IDs: a retry's check may have skipped some since the last.
            body: bulkRequestBody(pace?.ids() ?? deliveryIds),
            timeoutMs: this.options.timeoutMs,
            signal: abandon,
        }), noMoreAttempts), (body, reply) => {
            const result = readBulkReply(body);
            if (result instanceof Malformed)
                return result;
            const serverTimeMs = serverTime(reply.headers.date);
            return serverTimeMs !== undefined ? { ...result, serverTimeMs } : result;
        }, noMoreAttempts, pace);
    }
    endpoint(path) {
        return new URL(this.options.apiUrl.href.replace(/\/+$/, '') + path);
    }
    bearer() {
        const { credentials } = this.options;
        if (credentials.kind === 'access-token')
            return Promise.resolve(credentials.accessToken);
        return this.tokens.bearer();
    }
    exchangeCredentials() {
        const { credentials } = this.options;
        if (credentials.kind !== 'client-credentials')
            throw new Error('no client credentials');
        const request = {
            method: 'POST',
            url: this.endpoint(API_PATHS.token),
            headers: {
                'content-type': 'application/x-www-form-urlencoded',
                accept: 'application/json',
            },
            body: tokenRequestBody(credentials.clientId, credentials.clientSecret),
            timeoutMs: this.options.timeoutMs,
            signal: this.options.cancel,
        };
        return this.call('token', 'Token exchange', () => send(request, this.options.clock, this.connections), (body) => {
            const reply = parseTokenReply(body);
            if (reply) {
                // Masked before it is stored or can reach any message.
                this.options.redactor.add(reply.accessToken);
                this.options.onToken(reply.accessToken);
            }
            return reply;
        }, this.options.cancel);
    }
    /**
     * One call under the retry policy: each attempt's failure is classified, and the policy table
     * says whether another attempt follows and what the failure means for the IDs carried.
     */
    call(endpoint, what, sendOnce, 
    /** The reply's value; undefined or Malformed (which names the field) when it is not documented. */
    parse, signal, pace) {
        const context = {
            maxAttempts: this.options.maxAttempts,
            log: this.options.log,
            clock: this.options.clock,
            pace,
        };
        return withRetries(what, context, async () => {
            let reply;
            try {
                reply = await sendOnce();
            }
            catch (error) {
                if (!(error instanceof TransportError))
                    throw error;
                const message = this.options.redactor.redact(error.message);
                return this.failure(endpoint, what, error.failure, message, message);
            }
            if (reply.status >= 200 && reply.status < 300) {
                const body = parseJson(reply.body);
                const parsed = parse(body, reply);
                if (parsed !== undefined && !(parsed instanceof Malformed))
                    return { done: parsed };
                // Token replies: field names only, since whatever the reply holds may be a credential.
                const detail = endpoint === 'token'
                    ? `HTTP ${reply.status} but the reply has no access_token (fields: ${fieldNames(body)})`
                    : `HTTP ${reply.status} with a body that is not the documented JSON (${this.whatIsWrong(reply, body, parsed)})`;
                return this.failure(endpoint, what, 'unreadable', detail, `HTTP ${reply.status} with an unreadable body`, reply);
            }
            return this.failure(endpoint, what, statusKind(reply.status), this.describe(reply), `HTTP ${reply.status}`, reply);
        }, signal);
    }
    /** Applies the policy: a failure that is not retried is thrown at once. */
    failure(endpoint, what, kind, detail, reason, reply) {
        const rule = ruleFor(endpoint, kind);
        const error = (attempts) => new ApiError(`${what} failed: ${detail}${attempts > 1 ? ` after ${attempts} attempts` : ''}. ${rule.advice}`, rule.outcome, reply?.status);
        if (!rule.retry)
            throw error(1);
        const retryAfterMs = reply
            ? parseRetryAfter(reply.headers['retry-after'], this.options.clock.now())
            : undefined;
        return { reason, error, retryAfterMs };
    }
    /** Sends once; on a 401 with a token we obtained ourselves, exchanges again and sends once more. */
    async sendWithRenewal(endpoint, what, build, 
    /** Once aborted (a cancelled job), a refused token is not renewed to send the call again. */
    stop) {
        const { clock, credentials, log } = this.options;
        const token = await this.bearer();
        const reply = await send(build(token), clock, this.connections);
        if (reply.status !== 401 || stop?.aborted)
            return reply;
        const outcome = ruleFor(endpoint, 'status-400-401').outcome;
        if (credentials.kind === 'access-token') {
            throw new ApiError(`${what} failed: ${this.describe(reply)}. ${TOKEN_REFUSED_ADVICE.accessToken}`, outcome, 401);
        }
        log.info(`${what}: HTTP 401, the token was refused; obtaining a new one and repeating the call once.`);
        this.tokens.forget(token);
        const renewed = await send(build(await this.bearer()), clock, this.connections);
        if (renewed.status === 401) {
            throw new ApiError(`${what} failed: ${this.describe(renewed)}, even with a newly issued token. ${TOKEN_REFUSED_ADVICE.renewed}`, outcome, 401);
        }
        return renewed;
    }
    /**
     * A JSON reply names the field that is wrong, never quoting a row (its value may be megabytes
     * long); where the reply has no rows at all, the server's own words follow.
     */
    whatIsWrong(reply, body, parsed) {
        if (!(parsed instanceof Malformed) || body === undefined)
            return this.excerpt(reply);
        if (parsed.field.includes('['))
            return parsed.text;
        const text = this.excerpt(reply);
        return text ? `${parsed.text}: ${text}` : parsed.text;
    }
    /** "HTTP 422 Unprocessable Entity: <the server's error text>", without secrets. */
    describe(reply) {
        const status = `HTTP ${reply.status}${reply.statusText ? ` ${reply.statusText}` : ''}`;
        const text = this.excerpt(reply);
        return text ? `${status}: ${text}` : status;
    }
    excerpt(reply) {
        // Redacted before it is shortened or reshaped, so that no part of a secret survives a cut.
        // Only the start of a body can reach the text (an error object, or the first 8 KB), so only
        // that much is redacted: a 16 MiB reply costs no more than a small one.
        const { redactor } = this.options;
        const start = reply.body.length > EXCERPT_SOURCE_CHARS
            ? reply.body.slice(0, EXCERPT_SOURCE_CHARS)
            : reply.body;
        return redactor.redact(serverText(redactor.redact(start)));
    }
}

;// CONCATENATED MODULE: ./src/model/clock.ts
/** A timer that an abort clears, so that an abandoned wait never holds the process open. */
function realSleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    });
}
/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;
function realDeadline(ms, onExpiry) {
    const timer = setTimeout(onExpiry, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    return () => clearTimeout(timer);
}
/** The real clock: only `main.ts` creates it. */
const systemClock = {
    now: () => Date.now(),
    sleep: realSleep,
    deadline: realDeadline,
    random: () => Math.random(),
};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./src/settings/ids-file.ts
/**
 * Reads the file named by `delivery-ids-file`, within limits: a path from a workflow may name a
 * FIFO (which would block the step for ever), a device, or a file far larger than any list of IDs.
 */

const MAX_IDS_FILE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
/** Why the file cannot serve as a list of IDs: completes "Input delivery-ids-file …". */
class IdsFileError extends Error {
    constructor(message) {
        super(message);
        this.name = 'IdsFileError';
    }
}
/**
 * The file's text. Refuses anything but a regular file before opening it, refuses a file whose
 * size is over the limit without reading it, and stops reading one byte past the limit, because a
 * size from stat can be wrong (files under /proc say 0).
 */
function readIdsFile(path, limitBytes = MAX_IDS_FILE_BYTES) {
    checkShape(attempt(path, () => (0,external_node_fs_namespaceObject.statSync)(path)), path, limitBytes);
    // Non-blocking, so that a FIFO put in place since the stat cannot hang the open; the fstat that
    // follows refuses it.
    const fd = attempt(path, () => (0,external_node_fs_namespaceObject.openSync)(path, external_node_fs_namespaceObject.constants.O_RDONLY | (external_node_fs_namespaceObject.constants.O_NONBLOCK ?? 0)));
    try {
        checkShape((0,external_node_fs_namespaceObject.fstatSync)(fd), path, limitBytes);
        const chunks = [];
        const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
        let total = 0;
        for (;;) {
            const want = Math.min(CHUNK_BYTES, limitBytes + 1 - total);
            const read = attempt(path, () => (0,external_node_fs_namespaceObject.readSync)(fd, chunk, 0, want, null));
            if (read === 0)
                break;
            chunks.push(Buffer.from(chunk.subarray(0, read)));
            total += read;
            if (total > limitBytes) {
                throw new IdsFileError(`${mustBe(limitBytes)}; got more than that when read: ${path}`);
            }
        }
        return decodeUtf8(Buffer.concat(chunks, total), path);
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
function attempt(path, operation) {
    try {
        return operation();
    }
    catch (error) {
        const code = error.code ?? 'unreadable';
        throw new IdsFileError(`names a file that cannot be read (${code}): ${path}`);
    }
}
function checkShape(stats, path, limitBytes) {
    if (!stats.isFile())
        throw new IdsFileError(`${mustBe(limitBytes)}; got ${kindOf(stats)}: ${path}`);
    if (stats.size > limitBytes) {
        throw new IdsFileError(`${mustBe(limitBytes)}; got ${stats.size} bytes: ${path}`);
    }
}
function mustBe(limitBytes) {
    const limit = limitBytes % (1024 * 1024) === 0 ? `${limitBytes / (1024 * 1024)} MiB` : `${limitBytes} bytes`;
    return `must be a regular file of at most ${limit}`;
}
function kindOf(stats) {
    if (stats.isFIFO())
        return 'a FIFO (named pipe)';
    if (stats.isDirectory())
        return 'a directory';
    if (stats.isCharacterDevice())
        return 'a character device';
    if (stats.isBlockDevice())
        return 'a block device';
    if (stats.isSocket())
        return 'a socket';
    return 'something other than a regular file';
}
/** Strict UTF-8: bytes that are not text must not become IDs with U+FFFD in them. */
function decodeUtf8(bytes, path) {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    try {
        return decoder.decode(bytes);
    }
    catch {
        // Only on failure: find the first line that does not decode, to point the user at it.
        let line = 1;
        for (let start = 0; start < bytes.length; line++) {
            const end = bytes.indexOf(0x0a, start);
            const stop = end === -1 ? bytes.length : end;
            try {
                decoder.decode(bytes.subarray(start, stop));
            }
            catch {
                break;
            }
            start = stop + 1;
        }
        throw new IdsFileError(`must be UTF-8 text; line ${line} is not: ${path}`);
    }
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/settings/formats.ts
/**
 * The shapes of input values that more than one input shares: a delivery ID (delivery-ids,
 * delivery-ids-file, a plan's deliveries) and a duration (since, plan-max-age), with how far back
 * either may reach.
 */
/** The shape of a delivery ID (see isDeliveryId in domain.ts), in words. */
const ID_RULE = "IDs are printable ASCII, at most 128 characters, without spaces, '=' or quotes";
/** A duration back from now or a maximum age: 30m, 24h, 7d; and each unit in milliseconds. */
const DURATION = /^(\d+)\s*(s|m|h|d|w)$/i;
const UNIT_MS = {
    s: 1e3,
    m: 60e3,
    h: 3600e3,
    d: 86400e3,
    w: 604800e3,
};
/**
 * A duration (30m, 24h, 7d) in milliseconds, or undefined when `value` is not one. A number with
 * hundreds of digits is Infinity: callers compare it with MAX_LOOKBACK_MS.
 */
function parseDuration(value) {
    const duration = DURATION.exec(value);
    if (!duration)
        return undefined;
    return Number(duration[1]) * UNIT_MS[duration[2].toLowerCase()];
}
/**
 * How far back since may reach, and so the oldest plan a plan-max-age may accept: ten years covers
 * any retry a webhook consumer still wants, and keeps the window a date every server parses (a
 * duration of 200000000d is not one).
 */
const MAX_LOOKBACK_DAYS = 3650;
const MAX_LOOKBACK_MS = MAX_LOOKBACK_DAYS * UNIT_MS['d'];

;// CONCATENATED MODULE: ./src/settings/plan-file.ts
/**
 * The plan-file format: what a dry run writes for a person to approve, and what a later run
 * applies. A plan binds a set of deliveries to one API and one client through its digest, so that
 * the approval of a digest is the approval of exactly that set (when the digest comes from the
 * approver: see planDigest). Pure: report/publish.ts writes the
 * file, settings/plan-inputs.ts reads it, run/draft-plan.ts makes one.
 */




const PLAN_FORMAT = 'hindsite-redeliver-plan';
const PLAN_VERSION = 2;
/** The first element of the digest's canonical form: a digest of another form can never match. */
const DIGEST_TAG = `${PLAN_FORMAT}/${PLAN_VERSION}`;
/** api-url as a plan binds it: scheme, host and port as URL normalizes them, and the path prefix. */
function apiBase(url) {
    return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}
/**
 * SHA-256, as lowercase hex, of the UTF-8 bytes of the compact JSON text
 *
 *     ["hindsite-redeliver-plan/2", apiUrl, clientId, createdAt, [[key, value], ...],
 *      [[id, eventId, eventAction, webhookId, createdAt, state], ...]]
 *
 * with the selection's entries sorted by key, the deliveries in plan order, null where unknown, and
 * strings as JSON.stringify writes them. Arrays only, so that no key order is involved. Every field
 * of the file is bound, so that nothing a reviewer or the apply run reads from it can change
 * without changing the digest: createdAt too, so that the age plan-max-age checks cannot be
 * edited, nor refreshed by making the same plan again. Hashed a delivery at a time: a plan of
 * 100,000 deliveries never becomes one string.
 *
 * The digest is a plain hash that anyone can recompute for any file: it ties a plan to an approval
 * only when the digest the apply run is given comes from the approver (plan-digest), never from the
 * file.
 */
function planDigest(plan) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    const selection = Object.entries(plan.selection).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const head = [DIGEST_TAG, plan.apiUrl, plan.clientId, plan.createdAt, selection];
    hash.update(`${JSON.stringify(head).slice(0, -1)},[`);
    plan.deliveries.forEach((delivery, index) => {
        const bound = [
            delivery.id,
            delivery.eventId,
            delivery.eventAction,
            delivery.webhookId,
            delivery.createdAt,
            delivery.state,
        ];
        hash.update(`${index > 0 ? ',' : ''}${JSON.stringify(bound)}`);
    });
    hash.update(']]');
    return hash.digest('hex');
}
/**
 * When a plan was made, only as a dry run writes it (`Date.prototype.toISOString`: UTC, with
 * milliseconds), and only a time that reads back as itself: Date.parse takes far more (RFC 2822
 * dates with comments, no day check), and whatever it takes would be shown in the summary.
 */
const PLAN_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
function isPlanTime(value) {
    if (typeof value !== 'string' || !PLAN_TIME.test(value))
        return false;
    const time = Date.parse(value);
    return !Number.isNaN(time) && new Date(time).toISOString() === value;
}
function isApiBase(value) {
    if (typeof value !== 'string' || value.length > 2048 || !URL.canParse(value))
        return false;
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && apiBase(url) === value;
}
/** A planned delivery as the rest of the run speaks of deliveries. */
function plan_file_asDelivery(planned) {
    return {
        id: planned.id,
        eventId: planned.eventId,
        eventAction: planned.eventAction ?? undefined,
        webhookId: planned.webhookId ?? undefined,
        state: planned.state,
        createdAt: planned.createdAt ?? undefined,
        response: null,
    };
}
/** Why a text is not a plan this action can apply: completes "Input plan-file …". */
class PlanFileError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PlanFileError';
    }
}
const isText = (value) => value === null || typeof value === 'string';
const isName = (value) => typeof value === 'string' && value.length > 0;
const HEX_DIGEST = /^[0-9a-f]{64}$/;
/** Fields a planned delivery may leave null (or out): the list did not say. */
const OPTIONAL_FIELDS = ['eventAction', 'webhookId', 'createdAt'];
/**
 * The plan in `text`, or a PlanFileError that says what is wrong without repeating what the file
 * holds (a path that names the wrong file must not print it): not JSON (cut short, or not a plan),
 * not a plan, another version, a field of the wrong type, or content that its digest does not match.
 */
function parsePlanFile(text) {
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch {
        throw new PlanFileError('is not valid JSON: the file is cut short, or is not a plan file');
    }
    const version = isObject(raw) ? raw['version'] : undefined;
    // A version of its own first: a plan file of a later release may be shaped in any other way.
    if (typeof version === 'number' && version < PLAN_VERSION && version >= 1) {
        throw new PlanFileError(`is a plan of an older version (${version}), whose deliveries given by ID would be sent without being checked again: this action applies plans of version ${PLAN_VERSION} only; make a new plan with this version of the action and have it approved`);
    }
    if (typeof version === 'number' && version !== PLAN_VERSION) {
        throw new PlanFileError(`is a plan of an unknown version (${version}): this action applies plans of version ${PLAN_VERSION} only; make the plan with the same version of the action that applies it`);
    }
    if (!isObject(raw) || raw['format'] !== PLAN_FORMAT) {
        throw new PlanFileError(`is not a plan file: it has no "format": "${PLAN_FORMAT}" (a plan is the plan-file output of a dry run)`);
    }
    if (version !== PLAN_VERSION) {
        throw new PlanFileError(`is a plan of no version number: this action applies plans of version ${PLAN_VERSION} only`);
    }
    const field = (name, ok, what) => {
        if (!ok)
            throw new PlanFileError(`is not a valid plan: "${name}" must be ${what}`);
    };
    const { digest, createdAt, apiUrl, clientId, selection, deliveries } = raw;
    field('digest', typeof digest === 'string' && HEX_DIGEST.test(digest), '64 lowercase hex digits');
    field('createdAt', isPlanTime(createdAt), 'a date-time as a dry run writes it (YYYY-MM-DDTHH:mm:ss.sssZ)');
    // Both are shown when they differ from this run's: only what a dry run could have written.
    field('apiUrl', isApiBase(apiUrl), 'an http(s) URL as a dry run writes it');
    field('clientId', typeof clientId === 'string' && clientId.length <= 256 && !/[\p{C}]/u.test(clientId), 'a client ID (at most 256 printable characters)');
    field('selection', isObject(selection) && Object.values(selection).every(isText), 'an object of strings');
    field('deliveries', Array.isArray(deliveries), 'an array');
    const planned = deliveries.map((entry, index) => {
        const at = `deliveries[${index}]`;
        field(at, isObject(entry) && typeof entry['id'] === 'string', 'an object with an "id"');
        const delivery = entry;
        // Applying checks each planned delivery again by its event and state: without them it could
        // only send it unchecked (plans of version 1 held such deliveries).
        field(`${at}.eventId`, isName(delivery['eventId']), 'the event of the delivery (a string)');
        field(`${at}.state`, isName(delivery['state']), 'the state of the delivery (a string)');
        for (const name of OPTIONAL_FIELDS) {
            field(`${at}.${name}`, isText(delivery[name] ?? null), 'a string or null');
        }
        return {
            id: delivery['id'],
            eventId: delivery['eventId'],
            eventAction: delivery['eventAction'] ?? null,
            webhookId: delivery['webhookId'] ?? null,
            createdAt: delivery['createdAt'] ?? null,
            state: delivery['state'],
        };
    });
    // Every ID has the shape of one (the file may not be what it claims), and none is planned twice.
    const seen = new Set();
    planned.forEach((delivery, index) => {
        field(`deliveries[${index}].id`, isDeliveryId(delivery.id), `a delivery ID (${ID_RULE})`);
        field(`deliveries[${index}].id`, !seen.has(delivery.id), 'an ID not planned before');
        seen.add(delivery.id);
    });
    const plan = {
        format: PLAN_FORMAT,
        version: PLAN_VERSION,
        digest: digest,
        createdAt: createdAt,
        apiUrl: apiUrl,
        clientId: clientId,
        selection: selection,
        deliveries: planned,
    };
    if (planDigest(plan) !== plan.digest) {
        throw new PlanFileError('does not match its own digest: the plan was changed after it was made');
    }
    return plan;
}

;// CONCATENATED MODULE: ./src/settings/plan-inputs.ts
/**
 * The plan inputs (plan-file, plan-digest, plan-max-age): a plan read through the same bounded
 * reader as delivery-ids-file, and refused before any request unless it is the one approved.
 */





/**
 * Who a plan is bound to: the client ID, or for an access-token a fingerprint of the token (the
 * first 16 hex digits of its SHA-256: enough to tell tokens apart, nothing to recover one from),
 * so that a plan made with one token is not applied with another account's.
 */
function clientIdOf(credentials) {
    if (credentials.kind === 'client-credentials')
        return credentials.clientId;
    const fingerprint = (0,external_node_crypto_namespaceObject.createHash)('sha256').update(credentials.accessToken).digest('hex');
    return `access-token:sha256:${fingerprint.slice(0, 16)}`;
}
/** A plan made this far in our future comes from a runner whose clock is wrong. */
const FUTURE_SKEW_MS = 5 * 60_000;
/**
 * plan-max-age: a duration (30m, 24h, 7d), default 24h; at most as far back as since may reach, as
 * a plan older than that is not one to apply.
 */
function parsePlanMaxAge(value) {
    const ms = parseDuration(value || '24h') ?? NaN;
    if (!(ms > 0 && ms <= MAX_LOOKBACK_MS)) {
        throw new InputError('plan-max-age', `Input plan-max-age must be a duration such as 30m, 24h or 7d, of at most ${MAX_LOOKBACK_DAYS} days; got "${value}".`);
    }
    return ms;
}
/** plan-digest: the digest a person approved (64 hex digits), or '' when not given. */
function parsePlanDigest(value) {
    if (value !== '' && !HEX_DIGEST.test(value.toLowerCase())) {
        throw new InputError('plan-digest', 'Input plan-digest must be the 64 hex digits of a plan-digest output.');
    }
    return value.toLowerCase();
}
function age(ms) {
    const hours = ms / 3_600_000;
    return hours >= 48
        ? `${Math.floor(hours / 24)} days`
        : hours >= 1
            ? `${Math.floor(hours)} h`
            : `${Math.floor(ms / 60_000)} min`;
}
/**
 * The plan named by plan-file, refused (an InputError, before any request) unless it is intact, is
 * the plan that was approved (plan-digest, required), was made for this API and this client, and is
 * not older than plan-max-age.
 */
function readPlanSource(path, inputs, binding) {
    const approved = parsePlanDigest(inputs.get('plan-digest'));
    // A plan file's own digest is a plain hash that whoever can rewrite the file can recompute: only
    // a digest from the approver ties the plan to the approval.
    if (!approved) {
        throw new InputError('plan-digest', 'Input plan-digest is required with plan-file: pass the plan-digest output of the dry run that was approved. A plan file cannot vouch for itself (anyone who can change it can recompute its digest); nothing was sent.');
    }
    const maxAgeMs = parsePlanMaxAge(inputs.get('plan-max-age'));
    let plan;
    try {
        plan = parsePlanFile(inputs.readIdsFile(path));
    }
    catch (error) {
        if (!(error instanceof IdsFileError || error instanceof PlanFileError))
            throw error;
        const where = error instanceof PlanFileError ? `: ${path}` : '';
        throw new InputError('plan-file', `Input plan-file ${error.message}${where}; nothing was sent.`);
    }
    const refuse = (message) => new InputError('plan-file', `Input plan-file ${message}; nothing was sent.`);
    if (approved !== plan.digest) {
        throw new InputError('plan-digest', `Input plan-digest does not match the plan: it is not the plan that was approved, so nothing was sent; apply the approved dry run's plan file. The approved digest is ${approved}, the plan file's is ${plan.digest}.`);
    }
    const apiUrl = apiBase(binding.apiUrl);
    if (plan.apiUrl !== apiUrl) {
        throw refuse(`holds a plan made for another API origin (${plan.apiUrl}) than this run's api-url (${apiUrl})`);
    }
    const clientId = clientIdOf(binding.credentials);
    if (plan.clientId !== clientId) {
        const who = (id) => id.startsWith('access-token:') ? 'an access-token' : `client ID ${id}`;
        throw refuse(`holds a plan made with another client ID or access-token (${who(plan.clientId)}) than this run's (${who(clientId)})`);
    }
    const now = inputs.now().getTime();
    const madeAt = Date.parse(plan.createdAt);
    if (madeAt - now > FUTURE_SKEW_MS) {
        throw refuse(`holds a plan made in the future (${plan.createdAt}): the clock of the runner that made it, or of this one, is wrong`);
    }
    if (now - madeAt > maxAgeMs) {
        throw refuse(`holds a plan that has expired: made at ${plan.createdAt}, ${age(now - madeAt)} ago, it is older than plan-max-age (${inputs.get('plan-max-age') || '24h'}). Make a new plan and have it approved`);
    }
    return { kind: 'plan-file', path, plan, ids: plan.deliveries.map((delivery) => delivery.id) };
}

;// CONCATENATED MODULE: ./src/settings/inputs.ts





/** Inputs whose values are secrets: masked before anything else reads an input. */
const SECRET_INPUTS = ['client-secret', 'access-token'];
function readSettings(inputs) {
    const credentials = readCredentials(inputs);
    const apiUrl = parseApiUrl(inputs.get('api-url') || 'https://app.hindsiteind.com');
    const source = readSource(inputs, { apiUrl, credentials });
    return {
        credentials,
        apiUrl,
        source,
        batchSize: parseInteger('batch-size', inputs.get('batch-size'), 100, 1, 1000),
        concurrency: parseInteger('concurrency', inputs.get('concurrency'), 4, 1, 16),
        maxDeliveries: parseInteger('max-deliveries', inputs.get('max-deliveries'), 1000, 1, Number.MAX_SAFE_INTEGER),
        dryRun: parseBoolean('dry-run', inputs.get('dry-run'), false),
        failOnDropped: parseBoolean('fail-on-dropped', inputs.get('fail-on-dropped'), false),
        maxAttempts: parseInteger('max-attempts', inputs.get('max-attempts'), 3, 1, 10),
        timeoutMs: parseSeconds('timeout-seconds', inputs.get('timeout-seconds'), 30, 0.1, 3600),
        discoveryTimeoutMs: parseSeconds('discovery-timeout-seconds', inputs.get('discovery-timeout-seconds'), 600, 1, 21600),
        wait: {
            enabled: parseBoolean('wait', inputs.get('wait'), false),
            timeoutMs: parseSeconds('wait-timeout-seconds', inputs.get('wait-timeout-seconds'), 600, 1, 21600),
            pollIntervalMs: parseSeconds('poll-interval-seconds', inputs.get('poll-interval-seconds'), 15, 1, 3600),
        },
        maxRatePerMinute: inputs.get('max-rate')
            ? parseInteger('max-rate', inputs.get('max-rate'), 0, 1, 1_000_000)
            : undefined,
        canary: parseInteger('canary', inputs.get('canary'), 0, 0, 1000),
    };
}
function readCredentials(inputs) {
    const accessToken = inputs.get('access-token');
    const clientId = inputs.get('client-id');
    const clientSecret = inputs.get('client-secret');
    if (accessToken)
        return { kind: 'access-token', accessToken };
    if (!clientId && !clientSecret) {
        throw new InputError('client-id', 'Input client-id is required unless access-token is given: set client-id and client-secret (from HINDSITE support), or access-token.');
    }
    if (!clientId) {
        throw new InputError('client-id', 'Input client-id is required when client-secret is given.');
    }
    if (!clientSecret) {
        throw new InputError('client-secret', 'Input client-secret is required when client-id is given.');
    }
    return { kind: 'client-credentials', clientId, clientSecret };
}
const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/**
 * The base URL of the API. Credentials and tokens travel to it, so plain http is allowed only where
 * the traffic never leaves the machine.
 */
function parseApiUrl(value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new InputError('api-url', `Input api-url must be an absolute https:// URL; got "${value}".`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new InputError('api-url', `Input api-url must be an https:// URL; got the scheme "${url.protocol}".`);
    }
    if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
        throw new InputError('api-url', `Input api-url must use https://: plain http:// is only for loopback hosts, so that credentials never cross a network in clear text. Got host "${url.hostname}", not localhost, 127.0.0.0/8 or [::1].`);
    }
    if (url.username || url.password) {
        throw new InputError('api-url', 'Input api-url must not contain a user name or password; use client-id and client-secret.');
    }
    if (url.search || url.hash) {
        throw new InputError('api-url', 'Input api-url must be a base URL without a query or fragment.');
    }
    url.pathname = url.pathname.replace(/\/+$/, '');
    return url;
}
function readSource(inputs, binding) {
    const idsText = inputs.get('delivery-ids');
    const filePath = inputs.get('delivery-ids-file');
    const sinceText = inputs.get('since');
    const webhookId = inputs.get('webhook-id');
    const planPath = inputs.get('plan-file');
    const state = parseState(inputs.get('state'));
    const eventActions = parseEventActions(inputs.get('event-action'));
    const given = [
        idsText && 'delivery-ids',
        filePath && 'delivery-ids-file',
        (sinceText || webhookId) && 'since/webhook-id (discovery)',
        planPath && 'plan-file',
    ].filter((name) => Boolean(name));
    if (given.length === 0) {
        throw new InputError('delivery-ids', 'No deliveries to retry: set one of delivery-ids, delivery-ids-file, plan-file, or since and/or webhook-id to discover failed deliveries.');
    }
    if (given.length > 1) {
        throw new InputError(given.includes('plan-file')
            ? 'plan-file'
            : given[0] === 'delivery-ids'
                ? 'delivery-ids'
                : 'delivery-ids-file', `Set exactly one source of deliveries, not several: got ${given.join(' and ')}.`);
    }
    if (eventActions && (idsText || filePath || planPath)) {
        const given = idsText ? 'delivery-ids' : filePath ? 'delivery-ids-file' : 'plan-file';
        throw new InputError('event-action', `Input event-action filters discovery only, not IDs given in ${given}: remove it, or discover with since and/or webhook-id. The action does not know the event action of given IDs.`);
    }
    if (planPath)
        return readPlanSource(planPath, inputs, binding);
    if (inputs.get('plan-digest')) {
        throw new InputError('plan-digest', 'Input plan-digest is given without plan-file: it is the digest of the plan a run applies.');
    }
    // An explicitly empty list (`[]`, only separators) is nothing to do, as an empty file is.
    if (idsText)
        return { kind: 'delivery-ids', ids: parseDeliveryIds(idsText, 'delivery-ids') };
    if (filePath) {
        let text;
        try {
            text = inputs.readIdsFile(filePath);
        }
        catch (error) {
            if (!(error instanceof IdsFileError))
                throw error;
            throw new InputError('delivery-ids-file', `Input delivery-ids-file ${error.message}`);
        }
        return {
            kind: 'delivery-ids-file',
            path: filePath,
            ids: parseDeliveryIds(text, 'delivery-ids-file'),
        };
    }
    return {
        kind: 'discovery',
        since: sinceText ? parseSince(sinceText, inputs.now()) : undefined,
        sinceInput: sinceText || undefined,
        webhookId: webhookId || undefined,
        state,
        eventActions,
    };
}
/**
 * IDs separated by newlines, commas or white space, or a JSON array of strings. Trimmed,
 * de-duplicated, first occurrence first. Every ID must have the shape of one; the error names where
 * the first one that does not is, never what it holds (it may be a secret).
 */
function parseDeliveryIds(text, input) {
    const ids = [];
    const add = (id, where) => {
        if (id.length === 0)
            return;
        if (!isDeliveryId(id)) {
            throw new InputError(input, `Input ${input}: ${where()} is not a delivery ID, so nothing was sent; fix or remove it. ${ID_RULE}.`);
        }
        ids.push(id);
    };
    const trimmed = text.trim();
    if (trimmed.startsWith('[')) {
        parseJsonArray(trimmed, input).forEach((id, index) => add(id.trim(), () => `the element at index ${index}`));
    }
    else {
        // Lines counted in the text as given, so that a file's line numbers are what an editor shows.
        text.split('\n').forEach((line, lineIndex) => {
            const items = line.split(/[\s,]+/).filter((item) => item.length > 0);
            items.forEach((item, itemIndex) => add(item, () => items.length === 1
                ? `line ${lineIndex + 1}`
                : `line ${lineIndex + 1}, item ${itemIndex + 1}`));
        });
    }
    return [...new Set(ids)];
}
function parseJsonArray(text, input) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new InputError(input, `Input ${input} starts with "[" but is not a valid JSON array of strings.`);
    }
    if (!Array.isArray(parsed) || !parsed.every((id) => typeof id === 'string')) {
        throw new InputError(input, `Input ${input} must be a JSON array of strings (delivery IDs).`);
    }
    return parsed;
}
function parseBoolean(input, value, fallback) {
    if (value === '')
        return fallback;
    if (/^(true|True|TRUE)$/.test(value))
        return true;
    if (/^(false|False|FALSE)$/.test(value))
        return false;
    throw new InputError(input, `Input ${input} must be true or false; got "${value}".`);
}
function parseInteger(input, value, fallback, min, max) {
    if (value === '')
        return fallback;
    const range = max === Number.MAX_SAFE_INTEGER
        ? `an integer of at least ${min}`
        : `an integer from ${min} to ${max}`;
    if (!/^[+-]?\d+$/.test(value))
        throw new InputError(input, `Input ${input} must be ${range}; got "${value}".`);
    const number = Number(value);
    if (number < min || number > max) {
        // Past MAX_SAFE_INTEGER, Number rounds or overflows: "at least 1" would not say what is wrong.
        const allowed = number > max ? `an integer from ${min} to ${max}` : range;
        throw new InputError(input, `Input ${input} must be ${allowed}; got ${value}.`);
    }
    return number;
}
/** Seconds, possibly fractional, as milliseconds. */
function parseSeconds(input, value, fallback, min, max) {
    const text = value === '' ? String(fallback) : value;
    const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(seconds >= min && seconds <= max)) {
        throw new InputError(input, `Input ${input} must be a number of seconds from ${min} to ${max}; got "${value}".`);
    }
    return Math.round(seconds * 1000);
}
function parseState(value) {
    if (value === '')
        return 'errored';
    if (DELIVERY_STATES.includes(value))
        return value;
    throw new InputError('state', `Input state must be one of ${DELIVERY_STATES.join(', ')}; got "${value}".`);
}
/** event-action: a comma- or newline-separated list, trimmed and de-duplicated; undefined when unset. */
function parseEventActions(value) {
    if (value === '')
        return undefined;
    const actions = value
        .split(/[,\n]/)
        .map((action) => action.trim())
        .filter(Boolean);
    const bad = actions.findIndex((action) => !isEventAction(action));
    if (actions.length === 0 || bad >= 0) {
        throw new InputError('event-action', bad >= 0
            ? `Input event-action: item ${bad + 1} is not an event action. Each is printable ASCII, at most 128 characters, without spaces, '=' or quotes.`
            : 'Input event-action lists no event action: give a comma- or newline-separated list, such as form_completed.');
    }
    return [...new Set(actions)];
}
/** What since takes as a date-time: a date, or a date and time with or without a zone (UTC). */
const SINCE_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
/** Rejects what Date would quietly roll over: 2026-02-30, 24:00, 12:60. */
function isRealDateTime(value) {
    const [, year, month, day, hour, minute, second] = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i.exec(value) ?? [];
    // setUTCFullYear, not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.
    const date = new Date(0);
    date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
    return (date.getUTCFullYear() === Number(year) &&
        date.getUTCMonth() === Number(month) - 1 &&
        date.getUTCDate() === Number(day) &&
        Number(hour ?? 0) < 24 &&
        Number(minute ?? 0) < 60 &&
        Number(second ?? 0) < 60);
}
/** An ISO 8601 date-time (UTC unless it carries an offset), or a duration back from now: 30m, 24h, 7d. */
function parseSince(value, now) {
    const tooFarBack = () => new InputError('since', `Input since must be at most ${MAX_LOOKBACK_DAYS} days back (not before ${new Date(now.getTime() - MAX_LOOKBACK_MS).toISOString()}); got "${value}".`);
    const backMs = parseDuration(value);
    if (backMs !== undefined) {
        // Infinity for a number with hundreds of digits: still caught here.
        if (backMs > MAX_LOOKBACK_MS)
            throw tooFarBack();
        // Whole seconds, rounded down: a slightly wider window, and a timestamp any server parses.
        if (backMs > 0)
            return new Date(Math.floor((now.getTime() - backMs) / 1000) * 1000);
    }
    if (SINCE_DATE_TIME.test(value) && isRealDateTime(value)) {
        // A date-time without an offset would be read in the runner's zone; UTC is what users expect.
        const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) || !value.includes(':');
        const date = new Date(hasZone ? value : `${value}Z`);
        if (!Number.isNaN(date.getTime())) {
            if (date.getTime() > now.getTime()) {
                throw new InputError('since', `Input since is in the future (${date.toISOString()}); it must be a time in the past.`);
            }
            if (now.getTime() - date.getTime() > MAX_LOOKBACK_MS)
                throw tooFarBack();
            return date;
        }
    }
    throw new InputError('since', `Input since must be an ISO 8601 date-time (e.g. 2026-11-28T09:00:00Z) or a duration back from now (e.g. 30m, 24h, 7d); got "${value}".`);
}

;// CONCATENATED MODULE: ./src/model/log.ts
/**
 * A plain log line that the runner cannot take for a workflow command: it reads `::name::` at the
 * start of a line (after spaces) and the legacy `##[name]` anywhere in one, so a server's text such
 * as `::add-mask::…` or `##[set-output name=…]` could mask the log or set an output. A backslash
 * breaks each, visibly.
 */
function inert(text) {
    return text
        .split('\n')
        .map((line) => line.replace(/^(\s*)::/, '$1\\::').replace(/##\[/g, '##\\['))
        .join('\n');
}

;// CONCATENATED MODULE: ./src/report/runner-log.ts



/**
 * Lines go out redacted and printable (see text.ts). `core.warning`, `debug` and `group` wrap them
 * in a workflow command of their own; `core.info` prints them as they are, so a plain line is also
 * kept from being read as a command (see `inert`).
 */
function runnerLogger(redactor) {
    const clean = (message) => printable(redactor.redact(message));
    return {
        info: (message) => info(inert(clean(message))),
        warning: (message) => warning(clean(message)),
        debug: (message) => core_debug(clean(message)),
        group: (title, work) => group(clean(title), work),
    };
}

;// CONCATENATED MODULE: ./src/run/draft-plan.ts


function describeSelection(source) {
    switch (source.kind) {
        case 'delivery-ids':
            return { source: 'delivery-ids' };
        case 'delivery-ids-file':
            return { source: 'delivery-ids-file', path: source.path };
        case 'discovery':
            return {
                source: 'discovery',
                since: source.since?.toISOString() ?? null,
                sinceInput: source.sinceInput ?? null,
                webhookId: source.webhookId ?? null,
                state: source.state,
            };
        case 'plan-file':
            return { source: 'plan-file', path: source.path, digest: source.plan.digest };
    }
}
/** The plan of a dry run: the selection in sending order, with what the run knew of each. */
function buildPlanFile(selection, binding, nowMs) {
    const known = selection.known;
    const deliveries = selection.ids.map((id) => {
        const delivery = known.get(id);
        // lookup.ts leaves out of a dry run's selection what applying could not check again.
        if (!delivery?.eventId || !delivery.state) {
            throw new Error(`delivery ${id} was selected for a plan without a known event and state`);
        }
        return {
            id,
            eventId: delivery.eventId,
            eventAction: delivery.eventAction ?? null,
            webhookId: delivery.webhookId ?? null,
            createdAt: delivery.createdAt ?? null,
            state: delivery.state,
        };
    });
    const content = {
        createdAt: new Date(nowMs).toISOString(),
        apiUrl: apiBase(binding.apiUrl),
        clientId: clientIdOf(binding.credentials),
        selection: describeSelection(selection.source),
        deliveries,
    };
    return {
        format: PLAN_FORMAT,
        version: PLAN_VERSION,
        digest: planDigest(content),
        ...content,
    };
}
/**
 * The plan of a dry run, to be written next to its report: none when it selected nothing it could
 * send (nothing at all, over the cap, a failed discovery, a cancelled job) or was not a dry run:
 * there is nothing to approve.
 */
function planOfRun({ settings, selection, verdict, }, nowMs) {
    if (!settings?.dryRun || !selection || selection.ids.length === 0)
        return undefined;
    if (verdict.kind !== 'dry-run' && verdict.kind !== 'ok')
        return undefined;
    return buildPlanFile(selection, settings, nowMs);
}

;// CONCATENATED MODULE: ./src/model/batches.ts
/**
 * Splits the selection into bulk calls, unless the run would retry more deliveries than the safety
 * cap allows: a wrong filter should not redeliver a month of events.
 */
function planBatches(ids, options) {
    if (ids.length > options.maxDeliveries) {
        return { kind: 'over-cap', selected: ids.length, cap: options.maxDeliveries };
    }
    const batches = [];
    for (let start = 0; start < ids.length; start += options.batchSize) {
        batches.push({
            number: batches.length + 1,
            start,
            ids: ids.slice(start, start + options.batchSize),
        });
    }
    return { kind: 'batches', batches };
}

;// CONCATENATED MODULE: ./src/run/canary.ts


/**
 * The run's bulk calls with the canary's own first: a canary of 5 with batches of 100 is one call
 * of 5 IDs, then calls of 100 from the 6th ID on. Numbers and positions stay those of the run.
 * Without a canary, the batches as planned.
 */
function splitCanary(ids, count, batches, batchSize) {
    if (count <= 0)
        return { ids: [], canary: [], rest: batches };
    const head = ids.slice(0, count);
    const canary = batchesOf(head, batchSize, 0, 0);
    return {
        ids: head,
        canary,
        rest: batchesOf(ids.slice(count), batchSize, head.length, canary.length),
    };
}
function batchesOf(ids, batchSize, start, number) {
    const plan = planBatches(ids, { batchSize, maxDeliveries: Infinity });
    if (plan.kind !== 'batches')
        return [];
    return plan.batches.map((batch) => ({
        ...batch,
        number: batch.number + number,
        start: batch.start + start,
    }));
}
/**
 * Sends the canary and waits for its new deliveries. Only when every one of them completed has the
 * receiver shown that it takes deliveries again; anything else (failing again, not settled in time,
 * nothing to watch) stops the run before the rest is sent.
 */
async function testWithCanary(ids, batches, 
/** How many deliveries follow the canary. */
restCount, test) {
    const { log } = test;
    log.info(`Canary: redelivering ${plural(ids.length, 'delivery', 'deliveries')} first; the other ${plural(restCount, 'delivery', 'deliveries')} follow only if every new delivery of the canary completes.`);
    const sent = await test.send(batches);
    if (sent.failures.length > 0 || test.cancel?.aborted) {
        return { sent, report: { ids, outcome: 'stopped' } };
    }
    if (test.createdCount() === 0) {
        log.warning('Canary: HINDSITE created no new delivery for it, so it shows nothing about the receiver.');
        return { sent, report: { ids, outcome: 'unproven' } };
    }
    const settle = await test.settle(sent);
    if (test.cancel?.aborted) {
        // Cancelled while waiting: the canary showed nothing yet, and the job stops.
        log.info(`Canary: the job was cancelled while waiting; the other ${plural(restCount, 'delivery is', 'deliveries are')} not sent.`);
        return { sent, settle, report: { ids, outcome: 'stopped' } };
    }
    const outcome = settle.failingIds.length > 0
        ? 'refused'
        : settle.unsettledIds.length > 0
            ? 'unproven'
            : 'passed';
    // One no poll listed says nothing about the receiver: it is told apart from one seen pending.
    const unseen = settle.unseenIds?.length ?? 0;
    const problems = [
        settle.failingIds.length > 0 &&
            `${plural(settle.failingIds.length, 'new delivery', 'new deliveries')} failed again`,
        settle.unsettledIds.length > unseen && `${settle.unsettledIds.length - unseen} not settled`,
        unseen > 0 &&
            `${plural(unseen, 'new delivery', 'new deliveries')} never appeared in HINDSITE's list`,
    ].filter(Boolean);
    log.info(outcome === 'passed'
        ? `Canary: every new delivery completed; redelivering the other ${plural(restCount, 'delivery', 'deliveries')}.`
        : `Canary: ${problems.join(', ')}; the other ${plural(restCount, 'delivery is', 'deliveries are')} not sent.`);
    return { sent, settle, report: { ids, outcome } };
}

;// CONCATENATED MODULE: ./src/model/pool.ts
/**
 * Up to `concurrency` workers, each taking the next item as soon as it is free, until `take` has
 * none left (it decides, at every take, whether new work may still start). Used for bulk calls and
 * for list pages.
 */
async function runPool(concurrency, take, work) {
    let failed = false;
    const worker = async () => {
        for (let item = failed ? undefined : take(); item !== undefined; item = failed ? undefined : take()) {
            try {
                await work(item);
            }
            catch (error) {
                failed = true;
                throw error;
            }
        }
    };
    // A worker that throws (a bug) stops the others from taking more, but every item already taken
    // finishes before the error is passed on: its outcome must be recorded, not abandoned.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.max(1, concurrency) }, worker));
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure)
        throw failure.reason;
}

;// CONCATENATED MODULE: ./src/run/send.ts




/** How long bulk calls in flight may still finish after the job is cancelled. */
const CANCEL_GRACE_MS = 3000;
/**
 * Sends the batches with up to `concurrency` bulk calls in flight, recording each outcome in the
 * ledger. After any failure no new batch starts (its IDs may have been redelivered, and the cause
 * is likely to hit the next batch too); calls already in flight finish and are recorded; what was
 * never started stays pending, for the pipeline to close.
 */
async function sendBatches(batches, redeliver, ledger, options) {
    const outcome = {
        failures: [],
        createdWebhooks: new Set(),
        createdEvents: new Map(),
    };
    const abandon = new AbortController();
    // Ends a wait for the pace: after a failure or a cancellation no batch starts.
    const stopStarting = new AbortController();
    let cancelGrace;
    const onCancel = () => {
        stopStarting.abort();
        cancelGrace = options.clock.deadline(CANCEL_GRACE_MS, () => abandon.abort());
    };
    const total = options.totalBatches ?? batches.length;
    if (options.cancel?.aborted)
        onCancel();
    else
        options.cancel?.addEventListener('abort', onCancel, { once: true });
    let next = 0;
    const take = () => outcome.failures.length === 0 && !options.cancel?.aborted && next < batches.length
        ? batches[next++]
        : undefined;
    // Batches sent (or left out whole): the others' IDs are what a check looks at.
    const started = new Set();
    const notSentYet = () => batches
        .filter((batch) => !started.has(batch))
        .flatMap((batch) => ledger.stillToSend(batch).ids);
    const { pace, check } = options;
    /**
     * Waits until `planned` may go out (a first attempt, or with `retry` a retry of it): its turn in
     * the pace and, when a check of the selection is due or going on, that check, over the IDs not
     * sent yet (with `retry`, this batch's own first). IDs found changed are skipped. While a check
     * goes on the pace gives no turn, and a call that waited for one takes its turn again after it,
     * so that what the pace allows is what goes out around a check, and a call's time runs from when
     * it really goes. Returns `stopped` (no turn: the run is stopping), `left-out` (every ID of the
     * batch changed) or the check's failure (nothing unchecked is sent).
     *
     * The loop ends. It goes round again only when a check is due again by the turn taken after a
     * check: FRESH_FOR_MS (5 minutes) after that check ended. That turn waits for this call's own
     * booking before the check (one call's share: at most PACE_CALL_SECONDS by pacedBatchSize, or
     * 60 s for one ID at a max-rate under 30), and for attempts of the calls ranked before it: older
     * batches among the other calls in flight (at most concurrency − 1; every batch taken later
     * ranks after it), each attempt taking one share and, after a 429, holding the pace for at most
     * MAX_RETRY_AFTER_MS. They have at most max-attempts attempts each, so those delays run out and
     * the passes with them; each pass is a whole check, never a spin. With the defaults
     * (concurrency 4, max-attempts 3) and max-rate 30 or more, that is under 3 × 3 × 62 s: two
     * passes at most.
     */
    const ready = async (planned, retry) => {
        for (;;) {
            const count = ledger.stillToSend(planned).ids.length;
            if (pace && !(await pace.start(count, stopStarting.signal, planned.number))) {
                return 'stopped';
            }
            if (!check || !(check.due || check.checking))
                return 'go';
            try {
                const ids = retry ? [...ledger.stillToSend(planned).ids, ...notSentYet()] : notSentYet();
                const checked = check.check(ids, `the ${plural(ids.length, 'delivery', 'deliveries')} not sent yet`);
                pace?.holdWhile(checked);
                ledger.skip(await checked);
            }
            catch (error) {
                if (!(error instanceof ApiError))
                    throw error;
                return error;
            }
            if (stopStarting.signal.aborted)
                return 'stopped';
            if (ledger.stillToSend(planned).ids.length === 0)
                return 'left-out';
            if (!pace)
                return 'go';
        }
    };
    // A batch whose every ID a check skipped is not sent at all (or not again), and is no failure.
    const leaveOut = (planned) => {
        started.add(planned);
        options.log.info(`Batch ${planned.number}/${total}: not sent: the events of its ${plural(planned.ids.length, 'ID')} changed since they were selected.`);
    };
    // Nothing unchecked is sent: this batch and the rest stay pending, closed as unsent.
    const checkFailed = (error) => {
        outcome.failures.push(error);
        stopStarting.abort();
    };
    try {
        await runPool(options.concurrency, take, async (planned) => {
            if (ledger.stillToSend(planned).ids.length === 0)
                return leaveOut(planned);
            // Its turn in the pace, at its place: the oldest deliveries first, a retry included.
            const first = await ready(planned, false);
            if (first === 'stopped')
                return; // never sent: it stays pending, closed as unsent
            if (first === 'left-out')
                return leaveOut(planned);
            if (first instanceof ApiError)
                return checkFailed(first);
            started.add(planned);
            // What the last attempt carried: what the ledger confirms or fails.
            let batch = ledger.stillToSend(planned);
            const label = `batch ${batch.number} of ${total}`;
            // Why a retry did not go out, when it was not the run stopping.
            let retryEnded;
            let accounted = false;
            try {
                // A retry (after a 429, say) waits for its turn in the pace like any call, and for a check
                // when one is due by then, as a first attempt does; a 429's Retry-After holds every call,
                // so that retries never pile up on the calls in between.
                const retryPace = pace && {
                    hold: (ms) => pace.holdUntil(options.clock.now() + ms),
                    turn: async () => {
                        const turn = await ready(planned, true);
                        // What the next attempt carries, or, when none goes out, what the last one carried
                        // less what a check skipped since: the IDs its error is about (a skipped ID stays
                        // skipped, never "refused, safe to send again").
                        batch = ledger.stillToSend(planned);
                        if (turn === 'go')
                            return true;
                        if (turn !== 'stopped')
                            retryEnded = turn;
                        return false;
                    },
                    ids: () => batch.ids,
                };
                // After a cancel no new attempt starts; the one in flight gets CANCEL_GRACE_MS.
                const result = await redeliver(batch.ids, label, { stop: options.cancel, abandon: abandon.signal }, retryPace);
                const { created, dropped, unaccounted, untrusted } = ledger.confirm(batch, result);
                options.log.info(`Batch ${batch.number}/${total}: ${plural(batch.ids.length, 'ID')} sent, ${plural(created, 'redelivery', 'redeliveries')} created, ${dropped.length} dropped.`);
                record(outcome, result, options.trackEvents ?? false);
                if (unaccounted.length > 0) {
                    // A reply that does not add up is not success: stop, as after any failure.
                    const message = untrusted
                        ? `Bulk redelivery (${label}) was answered with a reply that ${untrusted}: its ${plural(unaccounted.length, 'ID')} sent may or may not have been redelivered`
                        : `Bulk redelivery (${label}) was answered with ${answeredWith(created, dropped.length)} for ${plural(batch.ids.length, 'ID')} sent: ${unaccountedOf(unaccounted.length, batch.ids.length)} may or may not have been redelivered`;
                    ledger.unaccounted(unaccounted, message);
                    outcome.failures.push(new ApiError(message, 'unknown'));
                }
                accounted = unaccounted.length === 0;
            }
            catch (error) {
                if (!(error instanceof ApiError)) {
                    // A bug, not a failure of the call: the batch may have been sent, so it is never left
                    // to be called unsent.
                    const message = `Bulk redelivery (${label}) failed: ${errorMessage(error)}`;
                    ledger.fail(batch, new ApiError(message, 'unknown'));
                    throw error;
                }
                // Only a failure that proved nothing was done (a 429, no connection) is retried: a retry
                // that did not go out leaves the batch as a check before a first attempt would.
                if (retryEnded === 'left-out') {
                    leaveOut(planned);
                    accounted = true;
                }
                else if (retryEnded) {
                    checkFailed(retryEnded);
                }
                else {
                    ledger.fail(batch, error);
                    outcome.failures.push(error);
                }
            }
            finally {
                // After a failure, a reply that does not add up, or a bug, no call waiting for its turn
                // starts.
                if (!accounted)
                    stopStarting.abort();
            }
        });
    }
    finally {
        cancelGrace?.();
        options.cancel?.removeEventListener('abort', onCancel);
    }
    return outcome;
}
function record(outcome, result, trackEvents) {
    if (result.serverTimeMs !== undefined && result.created.length > 0) {
        outcome.earliestServerTimeMs = Math.min(outcome.earliestServerTimeMs ?? result.serverTimeMs, result.serverTimeMs);
    }
    for (const delivery of result.created) {
        const at = createdAtMs(delivery);
        if (at !== undefined) {
            outcome.earliestCreatedAtMs = Math.min(outcome.earliestCreatedAtMs ?? at, at);
        }
        else if (result.serverTimeMs === undefined) {
            outcome.undated = true;
        }
        if (outcome.createdWebhooks.size < 2)
            outcome.createdWebhooks.add(delivery.webhookId);
        const key = trackEvents ? eventKey(delivery) : undefined;
        if (key !== undefined)
            outcome.createdEvents.set(delivery.id, key);
    }
}
/** The bulk calls of the canary and of the rest as one, for the wait over both. */
function joinSent(first, second) {
    const earliest = (a, b) => a === undefined ? b : b === undefined ? a : Math.min(a, b);
    return {
        failures: [...first.failures, ...second.failures],
        earliestCreatedAtMs: earliest(first.earliestCreatedAtMs, second.earliestCreatedAtMs),
        earliestServerTimeMs: earliest(first.earliestServerTimeMs, second.earliestServerTimeMs),
        undated: first.undated === true || second.undated === true,
        createdWebhooks: new Set([...first.createdWebhooks, ...second.createdWebhooks]),
        createdEvents: new Map([...first.createdEvents, ...second.createdEvents]),
    };
}
/** The IDs a reply did not account for, of those sent: "it", "all 3", "2 of them". */
function unaccountedOf(unaccounted, sent) {
    if (unaccounted < sent)
        return `${formatCount(unaccounted)} of them`;
    return sent === 1 ? 'it' : `all ${formatCount(sent)}`;
}
/** "2 new deliveries and 1 dropped ID", without a count of none: "no new delivery and no dropped ID". */
function answeredWith(created, dropped) {
    const parts = [
        created > 0 ? plural(created, 'new delivery', 'new deliveries') : '',
        dropped > 0 ? plural(dropped, 'dropped ID') : '',
    ].filter(Boolean);
    return parts.length > 0 ? parts.join(' and ') : 'no new delivery and no dropped ID';
}

;// CONCATENATED MODULE: ./src/model/ledger.ts

const STATUSES = [
    'pending',
    'confirmed',
    'dropped',
    'refused',
    'unknown',
    'unsent',
    'blocked',
    'planned',
    'skipped',
];
const code = (status) => STATUSES.indexOf(status);
/**
 * Where every requested ID stands while the run goes on. Each ID is in exactly one state at all
 * times, so whatever stops the run, the outputs say what was done, what may have been done, and
 * what is safe to send again. Sized for 100,000 IDs: a status byte per position, and new deliveries
 * kept as IDs only past the first SUMMARY_ROWS.
 */
class RedeliveryLedger {
    requested;
    known;
    status;
    /**
     * New deliveries per batch, by batch number: outputs list them in batch order, whatever order
     * concurrent batches finished in.
     */
    createdByBatch = [];
    detailsByBatch = [];
    failures = [];
    surplus = [];
    pairedByPositionOnly = false;
    requestedSet;
    /** Every new delivery listed so far: one listed twice, in any reply, is a reply not to trust. */
    createdSeen = new Set();
    constructor(requested, known = new Map()) {
        this.requested = requested;
        this.known = known;
        this.status = new Uint8Array(requested.length);
        this.requestedSet = new Set(requested);
    }
    /**
     * The batch was accepted: IDs the server dropped are dropped; the others are confirmed when the
     * reply accounts for them, else outcome unknown. A new delivery accounts for the sent ID of its
     * event (discovery told us each one's event); where events are unknown (explicit IDs), only one
     * new delivery per ID sent accounts for them all. A reply that lists a new delivery twice, a
     * requested ID as a new one, or an ID that is not one is not trusted at all.
     */
    confirm(batch, result) {
        const inBatch = new Set(batch.ids);
        const dropped = [...new Set(result.droppedIds)].filter((id) => inBatch.has(id));
        const droppedSet = new Set(dropped);
        const sent = batch.ids.filter((id) => !droppedSet.has(id));
        const untrusted = this.distrust(result);
        if (untrusted) {
            batch.ids.forEach((id, offset) => {
                this.status[positionOf(batch, offset)] = code(droppedSet.has(id) ? 'dropped' : 'unknown');
            });
            return { created: 0, dropped, unaccounted: sent, untrusted };
        }
        const { originals, byPositionOnly } = matchOriginals(sent, result.created, this.known);
        const paired = new Set(originals.filter(isId));
        // Where either side's event is unknown (explicit IDs; a reply without event_id, which the
        // documentation does not promise), only the count can vouch for an ID.
        const enough = result.created.length >= sent.length;
        const repliedEvents = result.created.some((delivery) => eventKey(delivery) !== undefined);
        const accounted = new Set(sent.filter((id) => paired.has(id) ||
            (enough && (!repliedEvents || eventKey(this.known.get(id)) === undefined))));
        const unaccounted = sent.filter((id) => !accounted.has(id));
        batch.ids.forEach((id, offset) => {
            const status = droppedSet.has(id) ? 'dropped' : accounted.has(id) ? 'confirmed' : 'unknown';
            this.status[positionOf(batch, offset)] = code(status);
        });
        this.pairedByPositionOnly ||= byPositionOnly;
        const createdIds = result.created.map((delivery) => delivery.id);
        for (const id of createdIds)
            this.createdSeen.add(id);
        this.createdByBatch[batch.number] = { ids: createdIds, originals };
        // Only batches that start within the first SUMMARY_ROWS IDs can hold those rows.
        if (batch.start < SUMMARY_ROWS) {
            this.detailsByBatch[batch.number] = result.created.map((delivery, index) => ({
                ...delivery,
                originalId: originals[index],
            }));
        }
        if (result.created.length > sent.length) {
            this.surplus.push({ batch: batch.number, sent: sent.length, createdIds });
        }
        return { created: result.created.length, dropped, unaccounted };
    }
    /** Why a bulk reply cannot be trusted, if it cannot. */
    distrust(result) {
        const ids = result.created.map((delivery) => delivery.id);
        if (ids.some((id) => !isDeliveryId(id)))
            return 'lists a new delivery whose ID is not an ID';
        if (new Set(ids).size < ids.length || ids.some((id) => this.createdSeen.has(id))) {
            return 'lists the same new delivery twice';
        }
        if (ids.some((id) => this.requestedSet.has(id))) {
            return 'lists a requested delivery as a new one';
        }
        return undefined;
    }
    /** IDs of one batch that a reply did not account for: outcome unknown, with why. */
    unaccounted(ids, message) {
        this.failures.push({ ids, outcome: 'unknown', message });
    }
    /** The batch's call failed: unsent if it never left, else refused or outcome unknown. */
    fail(batch, error) {
        const status = error.outcome === 'not-sent' ? 'unsent' : error.outcome;
        batch.ids.forEach((_, offset) => {
            this.status[positionOf(batch, offset)] = code(status);
        });
        if (error.outcome !== 'not-sent') {
            this.failures.push({ ids: batch.ids, outcome: error.outcome, message: error.message });
        }
    }
    /**
     * These IDs are not to be sent: their event changed since they were selected. Only IDs not yet
     * sent (pending) change; one pass over the requested IDs.
     */
    skip(ids) {
        if (ids.size === 0)
            return;
        const pending = code('pending');
        this.requested.forEach((id, position) => {
            if (this.status[position] === pending && ids.has(id))
                this.status[position] = code('skipped');
        });
    }
    /** What of the batch is still to send: its IDs not skipped (or settled) since it was planned. */
    stillToSend(batch) {
        const pending = code('pending');
        const offsets = batch.ids
            .map((_, offset) => offset)
            .filter((offset) => this.status[positionOf(batch, offset)] === pending);
        if (offsets.length === batch.ids.length)
            return batch;
        return {
            number: batch.number,
            start: batch.start,
            ids: offsets.map((offset) => batch.ids[offset]),
            positions: offsets.map((offset) => positionOf(batch, offset)),
        };
    }
    /** The run is over: everything not settled was never sent, for the reason given. */
    close(reason) {
        const pending = code('pending');
        const to = code(reason);
        this.status.forEach((value, position) => {
            if (value === pending)
                this.status[position] = to;
        });
    }
    get createdCount() {
        return this.createdByBatch.reduce((sum, batch) => sum + (batch?.ids.length ?? 0), 0);
    }
    /** Each new delivery's requested ID: the one place the two lists a batch records are paired. */
    originalsByNewId() {
        const originals = new Map();
        // By batch number, with holes for batches not answered: forEach skips those.
        this.createdByBatch.forEach(({ ids, originals: requested }) => {
            ids.forEach((id, index) => {
                const original = requested[index];
                if (original !== undefined)
                    originals.set(id, original);
            });
        });
        return originals;
    }
    /** How many IDs are in each state now: one pass over the status bytes, no lists built. */
    tally() {
        const counts = Object.fromEntries(STATUSES.map((status) => [status, 0]));
        for (const value of this.status)
            counts[STATUSES[value]]++;
        return counts;
    }
    /**
     * Where every ID stands now. An ID not settled yet is `unsent` (nothing has been sent for it),
     * or, for a checkpoint taken while bulk calls may be under way, `unknown`.
     */
    snapshot(pendingAs = 'unsent') {
        // One pass over the requested IDs, each into the list of its state.
        const lists = Object.fromEntries(STATUSES.map((status) => [status, []]));
        const failed = [];
        this.requested.forEach((id, position) => {
            const status = STATUSES[this.status[position]];
            const now = status === 'pending' ? pendingAs : status;
            lists[now].push(id);
            if (now === 'refused' || now === 'unknown')
                failed.push(id);
        });
        return {
            requested: this.requested,
            createdIds: this.createdByBatch.flatMap((batch) => batch.ids),
            originalOf: this.originalsByNewId(),
            createdDetails: this.detailsByBatch.flat().slice(0, SUMMARY_ROWS),
            pairedByPositionOnly: this.pairedByPositionOnly,
            confirmed: lists.confirmed,
            dropped: lists.dropped,
            refused: lists.refused,
            unknown: lists.unknown,
            unsent: lists.unsent,
            blocked: lists.blocked,
            planned: lists.planned,
            skipped: lists.skipped,
            failed,
            failures: [...this.failures],
            surplus: [...this.surplus],
        };
    }
}
/**
 * Which requested ID each new delivery retries. The documented reply lists the new rows only, so: by
 * position when there is one new row per ID sent (checked against the event where discovery told
 * us each original's event), else by event.
 */
function matchOriginals(sent, created, known) {
    const positional = created.length === sent.length &&
        created.every((delivery, index) => {
            const original = eventKey(known.get(sent[index]));
            const copy = eventKey(delivery);
            return original === undefined || copy === undefined || original === copy;
        });
    if (positional) {
        const unchecked = sent.some((id, index) => eventKey(known.get(id)) === undefined || eventKey(created[index]) === undefined);
        return { originals: [...sent], byPositionOnly: unchecked };
    }
    return { originals: matchByEvent(sent, created, known), byPositionOnly: false };
}
/** Pairs each new delivery with the sent ID of the same event, each ID at most once. */
function matchByEvent(sent, created, known) {
    const byEvent = new Map();
    for (const id of sent) {
        const key = eventKey(known.get(id));
        if (key !== undefined)
            byEvent.set(key, [...(byEvent.get(key) ?? []), id]);
    }
    return created.map((delivery) => {
        const key = eventKey(delivery);
        return key === undefined ? undefined : byEvent.get(key)?.shift();
    });
}
const isId = (id) => id !== undefined;
/** Where the batch's ID at `offset` is among the requested IDs. */
function positionOf(batch, offset) {
    return batch.positions?.[offset] ?? batch.start + offset;
}

;// CONCATENATED MODULE: ./src/run/pace.ts

/**
 * A paced bulk call carries at most this much of the pace's allowance, so that the receiver gets a
 * trickle rather than a burst every minute: with max-rate 600, calls of 20 IDs every 2 s.
 */
const PACE_CALL_SECONDS = 2;
/** The largest bulk call that fits PACE_CALL_SECONDS of the pace (one ID at the least). */
function pacedBatchSize(batchSize, perMinute) {
    if (perMinute === undefined)
        return batchSize;
    return Math.min(batchSize, Math.max(1, Math.floor((perMinute * PACE_CALL_SECONDS) / 60)));
}
/** The pace of a run at `perMinute`, whose bulk calls (shrunk by pacedBatchSize) are `batches`. */
function pacePlan(perMinute, requestedBatchSize, batches) {
    const batchSize = pacedBatchSize(requestedBatchSize, perMinute);
    // The last call starts once every call before it has had its share of time.
    const beforeLast = batches.slice(0, -1).reduce((sum, batch) => sum + batch.ids.length, 0);
    return {
        perMinute,
        batchSize,
        shrunk: batchSize < requestedBatchSize,
        expectedMs: (beforeLast * 60_000) / perMinute,
    };
}
/** "40 s", "2 min", "1 h 5 min": how long a paced run takes, for people. */
function roughDuration(ms) {
    const seconds = Math.round(ms / 1000);
    if (seconds < 90)
        return `${seconds} s`;
    const minutes = Math.round(seconds / 60);
    if (minutes < 90)
        return `${minutes} min`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
/** The pace in one clause, for log lines: "at most 600 redeliveries per minute (…): about 2 min". */
function describePace(pace, count) {
    const calls = pace.shrunk
        ? `bulk calls shrunk to ${plural(pace.batchSize, 'ID')}`
        : `bulk calls of up to ${plural(pace.batchSize, 'ID')}`;
    const takes = pace.expectedMs < 1000
        ? `${plural(count, 'delivery goes', 'deliveries go')} out at once`
        : `${plural(count, 'delivery takes', 'deliveries take')} about ${roughDuration(pace.expectedMs)}`;
    return `at most ${plural(pace.perMinute, 'redelivery', 'redeliveries')} per minute (${calls}): ${takes}`;
}
/**
 * The pace of one run, shared by every bulk call in flight: a call of n IDs starts once the calls
 * before it have had their share of time (n / max-rate minutes each), so that over any stretch of
 * time no more than that stretch's allowance plus one call goes out. Waiting calls go in the order
 * of their rank (a batch's number: the oldest deliveries first, a retry included), then in the
 * order they asked; a call's time is booked only when it starts, so a run that stops holds no
 * bookings, and a run that fell behind (slow replies) does not catch up in a burst. The next
 * allowed time is read again after every wake, so that a hold set meanwhile (a 429's Retry-After,
 * a check of the selection going on) holds every call already waiting.
 */
class Pace {
    clock;
    msPerDelivery;
    /** When the next call may start (ms since the epoch). */
    nextAt = -Infinity;
    waiting = [];
    asked = 0;
    /**
     * The waiters of each signal, and its one listener: the calls of a run share one signal, and a
     * listener per call would pile up on it.
     */
    bySignal = new Map();
    /** Ends the current sleep early: waiters left, and nobody may be left to wait for. */
    wake;
    serving = false;
    /** Work that no call may start during (see holdWhile), each settling quietly. */
    holds = new Map();
    constructor(perMinute, clock) {
        this.clock = clock;
        this.msPerDelivery = 60_000 / perMinute;
    }
    /**
     * The server asked every call to wait (a 429's Retry-After): no call starts before `atMs`, so
     * that the calls waiting for their turn do not go out in the meantime and pile up after it.
     */
    holdUntil(atMs) {
        this.nextAt = Math.max(this.nextAt, atMs);
    }
    /**
     * No call starts until `work` settles, whatever its outcome: a check of the selection going on,
     * whose answer the calls waiting for their turn must not go out before (each takes its turn
     * again after it, see send.ts). Their time runs from when the hold ends, as after a Retry-After.
     */
    holdWhile(work) {
        if (this.holds.has(work))
            return;
        const release = () => {
            this.holds.delete(work);
        };
        this.holds.set(work, work.then(release, release));
    }
    /**
     * Resolves true when a call of `count` IDs may start now (its time is booked), or false when
     * `signal` ended the wait first (nothing is booked). `rank` places it among the calls waiting
     * (lower first; by default after them all).
     */
    start(count, signal, rank = Infinity) {
        if (signal?.aborted)
            return Promise.resolve(false);
        return new Promise((resolve) => {
            const waiter = { count, rank, order: this.asked++, signal, resolve };
            if (signal) {
                let entry = this.bySignal.get(signal);
                if (!entry) {
                    entry = { waiters: new Set(), abort: () => this.abandon(signal) };
                    signal.addEventListener('abort', entry.abort, { once: true });
                    this.bySignal.set(signal, entry);
                }
                entry.waiters.add(waiter);
            }
            this.waiting.push(waiter);
            void this.serve();
        });
    }
    /** Every call waiting with this signal stops waiting, unbooked. */
    abandon(signal) {
        for (const waiter of this.bySignal.get(signal)?.waiters ?? []) {
            this.waiting.splice(this.waiting.indexOf(waiter), 1);
            this.settle(waiter, false);
        }
        if (this.waiting.length === 0)
            this.wake?.abort();
    }
    settle(waiter, started) {
        const entry = waiter.signal && this.bySignal.get(waiter.signal);
        if (entry && waiter.signal) {
            entry.waiters.delete(waiter);
            if (entry.waiters.size === 0) {
                waiter.signal.removeEventListener('abort', entry.abort);
                this.bySignal.delete(waiter.signal);
            }
        }
        waiter.resolve(started);
    }
    /** Lets the first waiter go whenever its turn has come, one at a time, until none is left. */
    async serve() {
        if (this.serving)
            return;
        this.serving = true;
        try {
            while (this.waiting.length > 0) {
                if (this.holds.size > 0) {
                    await Promise.all(this.holds.values());
                    continue;
                }
                const wait = this.nextAt - this.clock.now();
                if (wait > 0) {
                    this.wake = new AbortController();
                    await this.clock.sleep(wait, this.wake.signal);
                    this.wake = undefined;
                    continue;
                }
                this.waiting.sort((a, b) => a.rank - b.rank || a.order - b.order);
                const first = this.waiting.shift();
                this.nextAt = Math.max(this.clock.now(), this.nextAt) + first.count * this.msPerDelivery;
                this.settle(first, true);
            }
        }
        finally {
            this.serving = false;
        }
    }
}

;// CONCATENATED MODULE: ./src/hindsite/paging.ts



/** Stop a walk that never reaches an empty page rather than page forever. */
const MAX_DISCOVERY_PAGES = 2000;
/**
 * Stop a walk that holds this many bytes of deliveries (as heldBytes counts them), whatever size of
 * row or page the server sends: a row per page with megabytes in it must fail the walk, not the
 * process. 250,000 deliveries of the usual size (about 750 bytes each, as counted) fit, and the
 * Node heap of a runner (over a GB) holds what is counted several times over.
 */
const MAX_WALK_BYTES = 256 * 1024 * 1024;
/**
 * What a row costs besides its strings: its objects, its place in the walk's lists and sets, and
 * the room the garbage collector keeps beside them (a walk of small rows measured about this).
 */
const ROW_BYTES = 400;
/** What a string costs besides its characters. */
const STRING_BYTES = 16;
/**
 * The bytes a delivery held in memory costs, counted high: two bytes a character, as for text that
 * is not Latin-1, and the shared strings (webhook, action, state, error) as if each row had its own.
 */
function heldBytes(delivery) {
    const text = (value) => value === undefined || value === null ? 0 : STRING_BYTES + 2 * value.length;
    return (ROW_BYTES +
        text(delivery.id) +
        text(delivery.webhookId) +
        text(delivery.eventId) +
        text(delivery.eventAction) +
        text(delivery.state) +
        text(delivery.createdAt) +
        text(delivery.response?.error));
}
/** "256 MiB" */
function mebibytes(bytes) {
    return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
/**
 * Reads pages 1, 2, … until the first empty one, with up to `concurrency` pages in flight. The
 * result is the same as a one-page-at-a-time walk: pages are joined in order, and pages past the
 * first empty one are ignored, including their failures (a sequential walk would never have asked
 * for them); once the empty page is known they are abandoned. Rows seen twice (pages shifting while
 * they are read) count once.
 */
async function listAllPages(fetchPage, concurrency, limits = {}) {
    if (!limits.stable || concurrency <= 1)
        return walkPages(fetchPage, concurrency, limits);
    // Page 1 before and after: the same rows mean nothing was added at the top while the pages were
    // read, so none was pushed from a page not yet read onto one already read.
    const firstPage = async () => {
        const read = new AbortController();
        const stop = () => read.abort();
        limits.signal?.addEventListener('abort', stop, { once: true });
        try {
            return (await fetchPage(1, read.signal)).map((delivery) => delivery.id).join('\u0000');
        }
        finally {
            limits.signal?.removeEventListener('abort', stop);
        }
    };
    const walked = await walkBetween(firstPage, () => walkPages(fetchPage, concurrency, limits));
    // The rows of a walk that is not kept are let go before it is made again, so that the two walks
    // are never held at once.
    return walked ?? walkPages(fetchPage, 1, limits);
}
/** The walk, when page 1 is the same before and after it; undefined when it changed. */
async function walkBetween(firstPage, walk) {
    const before = await firstPage();
    const walked = await walk();
    // Everything looked for was found: a row missed meanwhile is not one it looks for.
    if (walked.enough)
        return walked;
    return (await firstPage()) === before ? walked : undefined;
}
async function walkPages(fetchPage, concurrency, limits) {
    const { maxPages = MAX_DISCOVERY_PAGES, maxBytes = MAX_WALK_BYTES, signal, keep, enough, countLeftOut = true, } = limits;
    const endless = (read) => {
        const reached = `read ${read} without reaching the end of the list`;
        const message = {
            wait: `Polling the new deliveries ${reached}`,
            recheck: `Checking the plan again ${reached}; nothing was sent. Make a plan with a narrower since or webhook-id.`,
            lookup: `Looking up the given delivery IDs ${reached} or finding them all; nothing was planned. Plan fewer IDs at a time, or discover them with since or webhook-id.`,
            fresh: `The re-check ${reached}`,
            discovery: `Discovery ${reached}; nothing was redelivered. Narrow the window with since or webhook-id.`,
        }[limits.purpose ?? 'discovery'];
        return new ApiError(message, 'not-sent');
    };
    const pages = new Map();
    const leftOutByPage = new Map();
    const failures = new Map();
    const inFlight = new Map();
    let nextPage = 1;
    let firstEmptyPage = Infinity;
    let rowsRead = 0;
    let satisfied = false;
    let pagesAnswered = 0;
    let bytesHeld = 0;
    const stop = () => {
        failures.set(0, new ApiError('Listing deliveries was stopped.', 'not-sent'));
        for (const pending of inFlight.values())
            pending.abort();
    };
    if (signal?.aborted)
        stop();
    else
        signal?.addEventListener('abort', stop, { once: true });
    // After any failure no new page starts: it may be one a sequential walk needs.
    const take = () => !satisfied && failures.size === 0 && nextPage < firstEmptyPage && nextPage <= maxPages
        ? nextPage++
        : undefined;
    await runPool(concurrency, take, async (page) => {
        const controller = new AbortController();
        inFlight.set(page, controller);
        try {
            const rows = await fetchPage(page, controller.signal);
            rowsRead += rows.length;
            pagesAnswered++;
            const kept = keep ? rows.filter(keep) : rows;
            const leftOut = keep && countLeftOut ? rows.filter((row) => !keep(row)).map((row) => row.id) : [];
            // Held bytes are what costs memory, whatever the rows' count or size: a server that never
            // ends its list, or sends rows of megabytes, must not exhaust it.
            for (const row of kept)
                bytesHeld += heldBytes(row);
            for (const id of leftOut)
                bytesHeld += STRING_BYTES + 2 * id.length;
            if (bytesHeld > maxBytes && page < firstEmptyPage) {
                throw endless(`more than ${mebibytes(maxBytes)} of deliveries (${plural(rowsRead, 'delivery', 'deliveries')} in ${plural(pagesAnswered, 'page')})`);
            }
            pages.set(page, kept);
            if (leftOut.length > 0)
                leftOutByPage.set(page, leftOut);
            if (!satisfied && enough?.(kept)) {
                satisfied = true;
                for (const pending of inFlight.values())
                    pending.abort();
            }
            if (rows.length === 0 && page < firstEmptyPage) {
                firstEmptyPage = page;
                for (const [later, pending] of inFlight)
                    if (later > page)
                        pending.abort();
            }
        }
        catch (error) {
            failures.set(page, error);
            // Later pages are never needed now: either this one is (the run fails) or an earlier
            // page is empty.
            for (const [later, pending] of inFlight)
                if (later > page)
                    pending.abort();
        }
        finally {
            inFlight.delete(page);
        }
    });
    signal?.removeEventListener('abort', stop);
    // A stopped job is a failure even when the walk had all it needed.
    if (failures.has(0))
        throw failures.get(0);
    if (satisfied)
        return joinPages(pages, leftOutByPage, Math.max(...pages.keys()) + 1, true);
    const needed = [...failures.keys()].filter((page) => page < firstEmptyPage).sort((a, b) => a - b);
    if (needed.length > 0)
        throw failures.get(needed[0]);
    if (firstEmptyPage === Infinity) {
        throw endless(`${maxPages} pages of deliveries`);
    }
    return joinPages(pages, leftOutByPage, firstEmptyPage, false);
}
/** The rows of pages 1 to `end` (exclusive) in order, each row once. */
function joinPages(pages, leftOutByPage, end, enough) {
    const seen = new Set();
    const deliveries = [];
    const leftOut = new Set();
    for (let page = 1; page < end; page++) {
        for (const delivery of pages.get(page) ?? []) {
            if (seen.has(delivery.id))
                continue;
            seen.add(delivery.id);
            deliveries.push(delivery);
        }
        for (const id of leftOutByPage.get(page) ?? [])
            leftOut.add(id);
    }
    return { deliveries, pagesRead: enough ? pages.size : end, leftOut: leftOut.size, enough };
}

;// CONCATENATED MODULE: ./src/run/list-deadline.ts


/**
 * Runs `walk` with a `listPage` that starts no page once the deadline has passed and uses no page
 * that came back after it, and a signal that stops the pages in flight at the deadline (or when
 * the job is cancelled). The deadline is the clock's: its time decides what a page may start or
 * return, and a real timer stops a page that is still waiting for its reply.
 */
async function withinDeadline(deadline, listPage, walk) {
    const { timeoutMs, clock, cancel } = deadline;
    const endsAtMs = clock.now() + timeoutMs;
    const stop = new AbortController();
    let timedOut = false;
    const cancelTimer = clock.deadline(timeoutMs, () => {
        timedOut = true;
        stop.abort();
    });
    const onCancel = () => stop.abort();
    if (cancel?.aborted)
        onCancel();
    else
        cancel?.addEventListener('abort', onCancel, { once: true });
    const passed = () => timedOut || clock.now() >= endsAtMs;
    let pagesRead = 0;
    const bounded = async (filters, page, signal) => {
        if (passed())
            throw deadline.expired(pagesRead);
        const rows = await listPage(filters, page, signal);
        if (passed())
            throw deadline.expired(pagesRead);
        pagesRead++;
        return rows;
    };
    try {
        return await walk(bounded, stop.signal);
    }
    catch (error) {
        // A page stopped at the deadline fails as "stopped": the deadline is what the user must know.
        if (!cancel?.aborted && passed())
            throw deadline.expired(pagesRead);
        throw error;
    }
    finally {
        cancelTimer();
        cancel?.removeEventListener('abort', onCancel);
    }
}
const seconds = (ms) => `${ms / 1000} s`;
const pagesText = (pagesRead) => pagesRead > 0 ? ` ${plural(pagesRead, 'list page was', 'list pages were')} read by then.` : '';
/** Discovery ran out of time: nothing was selected, so nothing was sent. */
function discoveryTimedOut(timeoutMs, pagesRead) {
    return new ApiError(`Discovery did not finish within discovery-timeout-seconds (${seconds(timeoutMs)}), so nothing was redelivered: narrow it with since or webhook-id, or raise discovery-timeout-seconds.${pagesText(pagesRead)}`, 'not-sent');
}
/**
 * A dry run's look-up of explicit IDs in the list ran out of time: no plan was made, and every ID
 * is still to send.
 */
function lookupTimedOut(timeoutMs, pagesRead, given) {
    return new ApiError(`Looking up the delivery IDs in the list did not finish within discovery-timeout-seconds (${seconds(timeoutMs)}), so no plan was made: raise discovery-timeout-seconds. The ${plural(given, 'ID is', 'IDs are')} in unsent-ids, safe to send again.${pagesText(pagesRead)}`, 'not-sent');
}
/** A plan's re-check ran out of time: every planned delivery is still to send. */
function recheckTimedOut(timeoutMs, pagesRead, planned) {
    return new ApiError(`Checking the plan again did not finish within discovery-timeout-seconds (${seconds(timeoutMs)}), so nothing was sent: raise discovery-timeout-seconds, or make a plan with a narrower since or webhook-id. The ${plural(planned, 'planned delivery is', 'planned deliveries are')} in unsent-ids, safe to send again.${pagesText(pagesRead)}`, 'not-sent');
}
/**
 * A check of the selection right before sending ran out of time: what was not sent yet stays
 * unsent. Completes "Checking the deliveries not sent yet again before sending them failed: …".
 */
function freshCheckTimedOut(timeoutMs, pagesRead) {
    return new ApiError(`the list was not read within discovery-timeout-seconds (${seconds(timeoutMs)}), so nothing more was sent: raise discovery-timeout-seconds, or narrow the selection with since or webhook-id.${pagesText(pagesRead)}`, 'not-sent');
}

;// CONCATENATED MODULE: ./src/run/newest.ts
/** Which delivery of an event speaks for it: the rule discovery, a plan's re-check and a lookup share. */

/**
 * One redelivery per event: a retry keeps the event and adds a new row, and the original keeps its
 * state, so only the newest delivery of each event (per webhook: one event reaches every webhook
 * subscribed to it) says whether the event still needs a retry. When several rows share the newest
 * created_at, IDs say nothing about their order, so the event is retried only if all of them are in
 * the state asked for. Events in the order they happened (by their oldest delivery seen, the
 * original unless it is older than the window), so that a receiver gets them again with the least
 * disorder, and the events nearest to HINDSITE's retention limit go first.
 */
function newestPerEventInState(deliveries, state) {
    const newest = new Map();
    for (const delivery of deliveries) {
        const key = eventKey(delivery) ?? `id\u0000${delivery.id}`;
        // Each row's time read once: this runs over every row of a discovery.
        const at = createdAtMs(delivery);
        const time = at ?? 0;
        const group = newest.get(key) ?? { time: -Infinity, first: Infinity, rows: [] };
        // An undated row says nothing of when its event happened: such events go last, not first.
        group.first = Math.min(group.first, at ?? Infinity);
        if (time > group.time)
            Object.assign(group, { time, rows: [delivery] });
        else if (time === group.time)
            group.rows.push(delivery);
        newest.set(key, group);
    }
    const selected = [];
    for (const { first, time, rows } of newest.values()) {
        if (!rows.every((delivery) => delivery.state === state))
            continue;
        // All tied rows failed alike: retry the event once, through any one of them.
        selected.push({ first, time, delivery: rows.reduce((a, b) => (byId(a, b) >= 0 ? a : b)) });
    }
    return selected
        .sort((a, b) => (a.first === b.first ? 0 : a.first - b.first) ||
        a.time - b.time ||
        byId(a.delivery, b.delivery))
        .map(({ delivery }) => delivery);
}
/**
 * IDs in numeric-aware order (dlv_9 before dlv_10). One collator, made on first use: localeCompare
 * with options builds one per call (seconds for 100,000 rows), and making it at start-up would
 * load ICU for runs that never sort.
 */
let idOrder;
function byId(a, b) {
    idOrder ??= new Intl.Collator('en', { numeric: true });
    return idOrder.compare(a.id, b.id);
}

;// CONCATENATED MODULE: ./src/run/recheck.ts
/**
 * Checking a selection again: between plan and apply, or while a canary settles or a paced run
 * goes on, HINDSITE's own retries succeed, other people redeliver, and an earlier apply of the same
 * plan may have redelivered. Every delivery whose event is known is checked again through the list
 * API, and an event whose newest delivery is no longer the selected one, in the state it was
 * selected in, is left alone. A plan's deliveries always have a known event (see lookup.ts), so a
 * plan applied twice (a second run, "Re-run jobs") redelivers nothing the first apply redelivered,
 * and what the first apply never got to HINDSITE is sent. IDs given explicitly to a run that is not
 * a plan cannot be looked up (the API has no lookup by ID): they go as given.
 */







/** Rows listed a little before the earliest planned one still count: timestamps may be rounded. */
const RECHECK_MARGIN_MS = 60_000;
/**
 * The smallest list query that returns every planned delivery and anything newer of its event:
 * since the earliest planned created_at (less a margin), by webhook when the plan has one.
 */
function recheckFilters(planned) {
    return windowOf(planned.map(asDelivery));
}
/** The same for any deliveries of known events (see recheckFilters). */
function windowOf(deliveries) {
    let earliest = Infinity;
    for (const delivery of deliveries) {
        earliest = Math.min(earliest, createdAtMs(delivery) ?? NaN);
    }
    const webhooks = new Set(deliveries.map((delivery) => delivery.webhookId));
    const [onlyWebhook] = webhooks;
    return {
        // One undated delivery and the window cannot be narrowed by time.
        since: Number.isFinite(earliest) ? windowStart(earliest - RECHECK_MARGIN_MS) : undefined,
        webhookId: webhooks.size === 1 && onlyWebhook !== undefined ? onlyWebhook : undefined,
    };
}
/**
 * Checks deliveries of known events again through the list API, in one walk over the smallest
 * window that covers them: one is still to send when it is what discovery would pick for its event
 * today (the newest delivery of the event, in the state it was selected in). Any other changed:
 * someone redelivered the event (in HINDSITE's app, or another run), or HINDSITE's own retry got
 * through. Used when a plan is applied and right before a selection made a while ago is sent.
 */
async function checkEventsAgain(deliveries, listPage, concurrency, options) {
    if (deliveries.length === 0)
        return { changed: [], listed: 0, pagesRead: 0 };
    const filters = windowOf(deliveries);
    const { deliveries: listed, pagesRead } = await listAllPages((page, pageSignal) => listPage(filters, page, pageSignal), concurrency, { signal: options.signal, purpose: options.purpose, stable: true });
    // Still to send: the delivery discovery would pick for its event today in its own selected state
    // (a plan of explicit IDs may hold several states), listed for the event it was selected for.
    const selectedIn = new Map();
    for (const state of new Set(deliveries.map((delivery) => delivery.state))) {
        if (state === undefined)
            continue;
        const selected = newestPerEventInState(listed, state);
        selectedIn.set(state, new Map(selected.map((delivery) => [delivery.id, delivery])));
    }
    const stillSelected = (delivery) => {
        const now = delivery.state === undefined ? undefined : selectedIn.get(delivery.state)?.get(delivery.id);
        return now !== undefined && eventKey(now) === eventKey(delivery);
    };
    const newest = newestOfEvents(listed);
    const changed = deliveries
        .filter((delivery) => !stillSelected(delivery))
        .map((delivery) => ({ delivery, newest: newest.get(eventKey(delivery))?.delivery }));
    return { changed, listed: listed.length, pagesRead };
}
/**
 * Checks planned deliveries against the list API now (see checkEventsAgain): one is kept while it
 * is the delivery discovery would pick for its event today, and is `changed` otherwise, with the
 * event's newest delivery now.
 */
async function recheckPlanned(planned, listPage, concurrency, signal) {
    const { changed: changes, listed, pagesRead, } = await checkEventsAgain(planned.map(plan_file_asDelivery), listPage, concurrency, {
        signal,
        purpose: 'recheck',
    });
    const changed = changes.map(({ delivery, newest }) => changedDelivery(delivery, newest, 'changed since the plan'));
    const skipped = new Set(changed.map((delivery) => delivery.id));
    const kept = planned.filter((delivery) => !skipped.has(delivery.id));
    return { kept, changed, listedCount: listed, pagesRead };
}
/** The planned deliveries still to send, after checking each event again. */
async function selectFromPlan(source, listPage, concurrency, signal) {
    const planned = source.plan.deliveries;
    const { kept, changed, listedCount, pagesRead } = await recheckPlanned(planned, listPage, concurrency, signal);
    return {
        source,
        ids: kept.map((delivery) => delivery.id),
        discoveredCount: listedCount,
        skippedCount: changed.length,
        pagesRead,
        known: new Map(kept.map((delivery) => [delivery.id, plan_file_asDelivery(delivery)])),
        planCheck: {
            path: source.path,
            digest: source.plan.digest,
            createdAt: source.plan.createdAt,
            planned: planned.length,
            rechecked: planned.length,
            changed,
        },
    };
}
function changedDelivery(delivery, newest, reason) {
    return {
        id: delivery.id,
        eventId: delivery.eventId ?? null,
        webhookId: delivery.webhookId ?? null,
        plannedState: delivery.state ?? null,
        reason,
        newestId: newest?.id ?? null,
        newestState: newest?.state ?? null,
    };
}
/** A selection older than this is checked again before a bulk call starts. */
const FRESH_FOR_MS = 5 * 60_000;
/** How many IDs a log line names before "… and N more". */
const LOGGED_IDS = 20;
/**
 * A selection checked again right before it is sent, whenever time has passed since it was made:
 * after the canary's wait, and before any bulk call once FRESH_FOR_MS have passed since the last
 * check (at least every 5 minutes of a paced run). Deliveries of known events whose event changed
 * are skipped; IDs given explicitly cannot be looked up (the API has no lookup by ID) and go as
 * given. Concurrent bulk calls share one check.
 */
class SelectionCheck {
    known;
    listPage;
    options;
    /** Every delivery found changed so far, in the order found. */
    changed = [];
    checkedAt;
    inFlight;
    toldUnchecked = false;
    constructor(known, listPage, options) {
        this.known = known;
        this.listPage = listPage;
        this.options = options;
        this.checkedAt = options.clock.now();
    }
    /**
     * Whether FRESH_FOR_MS have passed since the selection was made or last checked (never when no
     * event is known: IDs given explicitly cannot be checked).
     */
    get due() {
        return this.known.size > 0 && this.options.clock.now() - this.checkedAt >= FRESH_FOR_MS;
    }
    /** Whether a check is going on, which a bulk call must wait for. */
    get checking() {
        return this.inFlight !== undefined;
    }
    /**
     * Checks `ids` (those of them of a known event) and returns the ones whose event changed; while
     * a check is going on, returns that one's answer. `what` names them in the log line: "the other
     * 7 deliveries". Throws an ApiError when the list cannot be read: nothing unchecked is sent.
     */
    check(ids, what) {
        this.inFlight ??= this.checkNow(ids, what).finally(() => {
            this.inFlight = undefined;
        });
        return this.inFlight;
    }
    async checkNow(ids, what) {
        const { log } = this.options;
        const deliveries = ids
            .map((id) => this.known.get(id))
            .filter((delivery) => delivery?.eventId !== undefined);
        const unchecked = ids.length - deliveries.length;
        if (deliveries.length === 0) {
            if (unchecked > 0 && !this.toldUnchecked) {
                log.info(`${capital(what)} ${unchecked === 1 ? 'was' : 'were'} given by ID: the list API cannot look them up by ID, so they are not checked again and go as given.`);
            }
            this.toldUnchecked = true;
            this.checkedAt = this.options.clock.now();
            return new Set();
        }
        let changes;
        const { clock, concurrency, signal, timeoutMs } = this.options;
        try {
            ({ changed: changes } = await withinDeadline({
                timeoutMs,
                clock,
                cancel: signal,
                expired: (pagesRead) => freshCheckTimedOut(timeoutMs, pagesRead),
            }, this.listPage, (listPage, walkSignal) => checkEventsAgain(deliveries, listPage, concurrency, {
                signal: walkSignal,
                purpose: 'fresh',
            })));
        }
        catch (error) {
            if (!(error instanceof ApiError))
                throw error;
            throw new ApiError(`Checking the deliveries not sent yet again before sending them failed: ${error.message}`, 'not-sent', error.status);
        }
        this.checkedAt = this.options.clock.now();
        const changed = changes.map(({ delivery, newest }) => changedDelivery(delivery, newest, 'changed before sending'));
        // One at a time: spread as arguments, some 130,000 of them overflow the call stack.
        for (const delivery of changed)
            this.changed.push(delivery);
        const skipped = changed.map((delivery) => delivery.id);
        const givenById = unchecked > 0
            ? ` ${plural(unchecked, 'delivery', 'deliveries')} given by ID cannot be looked up and ${unchecked === 1 ? 'goes' : 'go'} as given.`
            : '';
        log.info(skipped.length === 0
            ? `Checked ${what} again before sending them: no event changed since they were selected.${givenById}`
            : `Checked ${what} again before sending them: ${plural(skipped.length, 'event')} changed since ${skipped.length === 1 ? 'it was' : 'they were'} selected (a newer delivery, or another state), so ${plural(skipped.length, 'delivery is', 'deliveries are')} skipped: ${namedIds(skipped)}.${givenById}`);
        return new Set(skipped);
    }
}
function capital(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
function namedIds(ids) {
    const shown = ids.slice(0, LOGGED_IDS).join(', ');
    return ids.length > LOGGED_IDS ? `${shown} … and ${ids.length - LOGGED_IDS} more` : shown;
}
/** The newest listed row of each event (and its time), to say what an event changed to. */
function newestOfEvents(listed) {
    const newest = new Map();
    for (const delivery of listed) {
        const key = eventKey(delivery);
        if (key === undefined)
            continue;
        const time = createdAtMs(delivery) ?? 0;
        const current = newest.get(key);
        if (!current || time >= current.time)
            newest.set(key, { delivery, time });
    }
    return newest;
}
/** The log line of a plan being applied. */
function describePlanCheck(selection) {
    const check = selection.planCheck;
    const parts = [`${plural(check.planned, 'delivery', 'deliveries')} planned`];
    if (check.rechecked > 0) {
        parts.push(`${check.rechecked} checked again through the list API, ${check.changed.length} of them changed since the plan (skipped)`);
    }
    return `Plan ${check.path} (digest ${check.digest}, made at ${check.createdAt}): ${parts.join('; ')}; ${selection.ids.length} selected.`;
}

;// CONCATENATED MODULE: ./src/run/lookup.ts



/** The planned form of a listed delivery, or undefined when the list did not say its event. */
function plannedOf(delivery) {
    if (!delivery?.eventId || !delivery.state)
        return undefined;
    return {
        id: delivery.id,
        eventId: delivery.eventId,
        eventAction: delivery.eventAction ?? null,
        webhookId: delivery.webhookId ?? null,
        createdAt: delivery.createdAt ?? null,
        state: delivery.state,
    };
}
/** A dry run's selection cut to what a plan can hold, with what it leaves out (`notPlanned`). */
async function plannable(selection, listPage, concurrency, signal) {
    const source = selection.source;
    if (source.kind === 'delivery-ids' || source.kind === 'delivery-ids-file') {
        return lookUp(selection, source.ids, listPage, concurrency, signal);
    }
    // Discovered (or planned) deliveries come with what the list said of them.
    const notPlanned = selection.ids
        .filter((id) => !plannedOf(selection.known.get(id)))
        .map((id) => ({ id, reason: 'unknown event', newestId: null, newestState: null }));
    if (notPlanned.length === 0)
        return { ...selection, notPlanned };
    const left = new Set(notPlanned.map((delivery) => delivery.id));
    return {
        ...selection,
        ids: selection.ids.filter((id) => !left.has(id)),
        skippedCount: selection.skippedCount + notPlanned.length,
        notPlanned,
    };
}
/**
 * Finds each given ID in the list API (which has no lookup by ID), then checks the found ones as
 * applying will. The IDs say nothing of when or for which webhook they were made, so the list is
 * read without filters, but only until every ID is found: a few pages for IDs of recent failures,
 * and at most to the end of the list within the paging limits (MAX_DISCOVERY_PAGES, ..._ROWS).
 */
async function lookUp(selection, ids, listPage, concurrency, signal) {
    const wanted = new Set(ids);
    const found = new Map();
    let pagesRead = 0;
    if (wanted.size > 0) {
        ({ pagesRead } = await listAllPages((page, pageSignal) => listPage({}, page, pageSignal), concurrency, {
            signal,
            purpose: 'lookup',
            stable: true,
            keep: (delivery) => wanted.has(delivery.id),
            enough: (kept) => {
                for (const delivery of kept)
                    found.set(delivery.id, delivery);
                return found.size === wanted.size;
            },
        }));
    }
    const notPlanned = [];
    const candidates = [];
    for (const id of ids) {
        const delivery = found.get(id);
        const planned = plannedOf(delivery);
        if (planned)
            candidates.push(planned);
        else {
            const reason = delivery ? 'unknown event' : 'not found';
            notPlanned.push({ id, reason, newestId: null, newestState: null });
        }
    }
    // As applying will check them: an ID whose event has a newer delivery would only be skipped.
    const checked = await recheckPlanned(candidates, listPage, concurrency, signal);
    for (const changed of checked.changed) {
        const { id, newestId, newestState } = changed;
        notPlanned.push({ id, reason: 'not newest', newestId, newestState });
    }
    // In the order given, as the planned ones.
    const left = new Map(notPlanned.map((delivery) => [delivery.id, delivery]));
    const planned = ids.filter((id) => !left.has(id));
    return {
        ...selection,
        ids: planned,
        discoveredCount: found.size,
        skippedCount: notPlanned.length,
        pagesRead: pagesRead + checked.pagesRead,
        known: new Map(planned.map((id) => [id, found.get(id)])),
        notPlanned: ids.flatMap((id) => left.get(id) ?? []),
    };
}
/** The log line of a dry run of explicit IDs: what the lookup found. */
function describeLookup(selection) {
    const notPlanned = selection.notPlanned ?? [];
    const count = (reason) => notPlanned.filter((delivery) => delivery.reason === reason).length;
    const given = selection.ids.length + notPlanned.length;
    const parts = [
        `${selection.ids.length} to plan`,
        [count('not found'), 'not found'],
        [count('not newest'), 'not the newest delivery of their event'],
        [count('unknown event'), 'listed without an event or state'],
    ]
        .filter((part) => typeof part === 'string' || part[0] !== 0)
        .map((part) => (typeof part === 'string' ? part : `${part[0]} ${part[1]}`));
    return `Looked up ${plural(given, 'given delivery ID')} through the list API (${plural(selection.pagesRead, 'page')}): ${parts.join(', ')}.`;
}

;// CONCATENATED MODULE: ./src/run/verdict.ts
/**
 * The verdict of a run, decided in one place from the values the stages returned: what stopped
 * selecting, how sending ended, whether the job was cancelled, and whatever was thrown. Every
 * verdict but the checkpoint's `checking` is built here and nowhere else.
 */

function decideVerdict(outcomes) {
    const { thrown, cancelledBy, selectFailed, send } = outcomes;
    if (thrown instanceof InputError)
        return { kind: 'input-refused', message: thrown.message };
    if (thrown !== undefined) {
        return {
            kind: 'unexpected',
            message: errorMessage(thrown),
            stack: thrown instanceof Error ? thrown.stack : undefined,
        };
    }
    // Whatever else went wrong, a cancelled job says so first: it explains the rest.
    if (cancelledBy !== undefined)
        return { kind: 'cancelled', signal: cancelledBy };
    if (selectFailed)
        return { kind: 'api-failed', error: selectFailed };
    switch (send?.kind) {
        case undefined:
        case 'nothing-selected':
        case 'stopped':
            return { kind: 'ok' };
        case 'over-cap':
            return { kind: 'over-cap', selected: send.selected, cap: send.cap };
        case 'dry-run':
            return { kind: 'dry-run', bulkCalls: send.bulkCalls };
        case 'not-authenticated':
            return { kind: 'api-failed', error: send.error };
        case 'batches-failed':
            return { kind: 'batches-failed', first: send.first };
        case 'canary-not-passed':
            return { kind: 'canary-refused', timeoutMs: send.timeoutMs };
        case 'sent':
            if (send.unsettled)
                return { kind: 'not-settled', timeoutMs: send.unsettled.timeoutMs };
            if ((outcomes.droppedAgainstFailOnDropped ?? 0) > 0)
                return { kind: 'dropped' };
            return { kind: 'ok' };
    }
}

;// CONCATENATED MODULE: ./src/run/selection.ts


async function selectDeliveries(source, listPage, concurrency, 
/** Stops discovery (a cancelled job). */
signal) {
    if (source.kind !== 'discovery') {
        return {
            source,
            ids: source.ids,
            discoveredCount: 0,
            skippedCount: 0,
            leftOutCount: 0,
            pagesRead: 0,
            known: new Map(),
        };
    }
    // No state filter on the list: whether an event still needs a retry depends on its newest
    // delivery, whatever that one's state is.
    const filters = { since: source.since, webhookId: source.webhookId };
    const actions = source.eventActions && new Set(source.eventActions);
    const { deliveries, pagesRead, leftOut } = await listAllPages((page, pageSignal) => listPage(filters, page, pageSignal), concurrency, {
        signal,
        stable: true,
        keep: actions && ((delivery) => actions.has(delivery.eventAction ?? '')),
    });
    const selected = newestPerEventInState(deliveries, source.state);
    return {
        source,
        ids: selected.map((delivery) => delivery.id),
        discoveredCount: deliveries.length + leftOut,
        skippedCount: deliveries.length - selected.length,
        leftOutCount: leftOut,
        pagesRead,
        known: new Map(selected.map((delivery) => [delivery.id, delivery])),
    };
}

;// CONCATENATED MODULE: ./src/run/settle.ts



/**
 * The window starts this long before the server's own time of the new deliveries: its clock and
 * the times it gives (a reply's Date, rounded down to the second; a row's created_at, set when the
 * call arrived) may differ by more than a call takes.
 */
const WINDOW_MARGIN_MS = 5 * 60_000;
function classify(state) {
    if (state === 'completed')
        return 'completed';
    if (state === 'retrying' || state === 'errored')
        return 'failing';
    return 'unsettled';
}
/**
 * The narrowest list query that still returns every one of the new deliveries. `serverTimeMs` is
 * where they are on the server's clock (their earliest created_at, or the time of the reply that
 * created them), never the runner's: a server whose clock is behind would hide them from a window
 * placed by ours. Without it, the window is not narrowed by time.
 */
function pollFilters(serverTimeMs, webhooks) {
    const [onlyWebhook] = webhooks;
    return {
        since: serverTimeMs === undefined ? undefined : windowStart(serverTimeMs - WINDOW_MARGIN_MS),
        webhookId: webhooks.size === 1 && onlyWebhook !== undefined ? onlyWebhook : undefined,
    };
}
/**
 * Polls the list API until none of the new deliveries is pending or in progress, or the time is up.
 * `retrying` counts as settled: its first attempt already failed, which is what the user must know.
 */
async function waitForSettle(target, listPage, options) {
    const { clock, log } = options;
    const states = new Map(target.ids.map((id) => [id, 'pending']));
    // Listed by a poll at least once: the others' state is not known at all.
    const seen = new Set();
    const final = new Map(target.details.map((delivery) => [delivery.id, delivery]));
    const duplicates = new Map();
    const deadline = clock.now() + options.timeoutMs;
    // The whole wait is bounded, a poll in flight included: at the deadline, or when the job is
    // cancelled, the poll is abandoned.
    const stop = new AbortController();
    const endWait = () => stop.abort();
    const cancelDeadline = clock.deadline(options.timeoutMs, endWait);
    if (options.cancel?.aborted)
        endWait();
    else
        options.cancel?.addEventListener('abort', endWait, { once: true });
    let polls = 0;
    let error;
    let pending = states.size;
    try {
        while (pending > 0 && !stop.signal.aborted) {
            const remaining = deadline - clock.now();
            if (remaining <= 0)
                break;
            await clock.sleep(Math.min(options.pollIntervalMs, remaining), stop.signal);
            if (stop.signal.aborted)
                break;
            try {
                // Only the rows it watches are held (its new deliveries, and other rows of their events),
                // not every row of the window polled.
                const { deliveries } = await listAllPages((page, signal) => listPage(target.filters, page, signal), options.concurrency, {
                    signal: stop.signal,
                    purpose: 'wait',
                    keep: (delivery) => states.has(delivery.id) || watchesEvent(target, delivery),
                    countLeftOut: false,
                });
                for (const delivery of deliveries) {
                    noteDuplicate(delivery, target, states, duplicates);
                    if (!states.has(delivery.id))
                        continue;
                    states.set(delivery.id, delivery.state);
                    seen.add(delivery.id);
                    if (final.has(delivery.id))
                        final.set(delivery.id, delivery);
                }
            }
            catch (caught) {
                if (stop.signal.aborted)
                    break;
                if (!(caught instanceof ApiError))
                    throw caught;
                error = caught.message;
                log.warning(`Stopped waiting for the new deliveries: ${caught.message}`);
                break;
            }
            polls++;
            const counts = { completed: 0, failing: 0, unsettled: 0 };
            for (const state of states.values())
                counts[classify(state)]++;
            pending = counts.unsettled;
            const unseen = states.size - seen.size;
            const left = Math.max(0, Math.ceil((deadline - clock.now()) / 1000));
            log.info(`Waiting for ${states.size} new deliveries (poll ${polls}): ${counts.completed} completed, ${counts.failing} failing (retrying/errored), ${counts.unsettled - unseen} pending/in progress${unseen > 0 ? `, ${unseen} not listed yet` : ''}; ${left} s left.`);
        }
    }
    finally {
        cancelDeadline();
        options.cancel?.removeEventListener('abort', endWait);
    }
    const result = {
        completedIds: [],
        failingIds: [],
        unsettledIds: [],
        // Only a poll that listed the window can say a delivery was not in it.
        unseenIds: polls > 0 ? target.ids.filter((id) => !seen.has(id)) : [],
        final,
        error,
        duplicates: [...duplicates].map(([key, others]) => {
            const [webhookId = '', eventId = ''] = key.split('\u0000');
            return {
                webhookId,
                eventId,
                newId: target.events.get(key)?.newId ?? '',
                otherIds: [...others],
            };
        }),
    };
    for (const [id, state] of states) {
        const outcome = classify(state);
        if (outcome === 'completed')
            result.completedIds.push(id);
        else if (outcome === 'failing')
            result.failingIds.push(id);
        else
            result.unsettledIds.push(id);
    }
    return result;
}
/** Whether the row is of an event we redelivered. */
function watchesEvent(target, delivery) {
    const key = eventKey(delivery);
    return key !== undefined && target.events.has(key);
}
/** A row of an event we redelivered that is neither ours nor what we asked to redeliver. */
function noteDuplicate(delivery, target, ours, duplicates) {
    const key = eventKey(delivery);
    const watched = key === undefined ? undefined : target.events.get(key);
    if (!watched || key === undefined)
        return;
    if (ours.has(delivery.id) || target.requested.has(delivery.id))
        return;
    const at = createdAtMs(delivery);
    if (at === undefined || at <= watched.afterMs)
        return;
    const others = duplicates.get(key) ?? new Set();
    others.add(delivery.id);
    duplicates.set(key, others);
}

;// CONCATENATED MODULE: ./src/run/pipeline.ts
















/** Another new delivery of an event created this long before ours still counts as a duplicate. */
const DUPLICATE_WINDOW_MS = 60_000;
/**
 * settings → selection → batches → bulk calls → ledger → (wait), returned as one value: each stage
 * returns what it produced, and decideVerdict turns those into the verdict. Whatever stops the run,
 * the ledger still says where every ID stands. Never throws.
 */
async function runPipeline(settings, context) {
    const found = { settings };
    const outcomes = {};
    let ledger;
    let unsentAs = 'unsent';
    try {
        const selected = await pipeline_select(settings, context);
        if ('failed' in selected) {
            outcomes.selectFailed = selected.failed;
            // Nothing was sent or planned: IDs the run was given (a plan's, or explicit IDs a dry run
            // looks up) are all still to send (unsent-ids). Discovery found none to account for.
            if (settings.source.kind !== 'discovery') {
                ledger = new RedeliveryLedger(settings.source.ids, new Map());
            }
        }
        else {
            const { selection } = selected;
            found.selection = selection;
            const sendingLedger = new RedeliveryLedger(selection.ids, selection.known);
            ledger = sendingLedger;
            const check = new SelectionCheck(selection.known, (filters, page, signal) => context.client.listDeliveries(filters, page, signal), {
                clock: context.clock,
                concurrency: settings.concurrency,
                log: context.log,
                signal: context.cancel,
                timeoutMs: settings.discoveryTimeoutMs,
            });
            const sending = await redeliver(settings, context, selection, sendingLedger, check, (so, pendingAs) => context.checkpoint?.({
                ...found,
                ...so,
                // What a re-check skipped so far leaves the selection here too, as at the end: else the
                // checkpoint's selected-ids would hold IDs that no other output accounts for.
                selection: withChangedBeforeSending(selection, check.changed),
                ledger: sendingLedger.snapshot(pendingAs),
            }));
            // What was skipped right before sending leaves the selection, as at apply time.
            found.selection = withChangedBeforeSending(selection, check.changed);
            ({ pace: found.pace, canary: found.canary, settle: found.settle, unsentAs } = sending);
            outcomes.send = sending.end;
            outcomes.thrown = sending.thrown;
            if (settings.failOnDropped)
                outcomes.droppedAgainstFailOnDropped = sendingLedger.tally().dropped;
        }
    }
    catch (error) {
        // Not a failure the user can fix: a bug. Still, the ledger below says where every ID stands.
        outcomes.thrown = error;
    }
    if (context.cancel?.aborted)
        outcomes.cancelledBy = String(context.cancel.reason ?? 'a signal');
    if (ledger) {
        ledger.close(unsentAs);
        found.ledger = ledger.snapshot();
    }
    const verdict = decideVerdict(outcomes);
    try {
        return { ...found, planFile: planOfRun({ ...found, verdict }, context.clock.now()), verdict };
    }
    catch (error) {
        return { ...found, verdict: decideVerdict({ thrown: error }) };
    }
}
async function pipeline_select(settings, { client, log, clock, cancel }) {
    try {
        const listPage = (filters, page, signal) => client.listDeliveries(filters, page, signal);
        const { source, concurrency, discoveryTimeoutMs: timeoutMs } = settings;
        const deadline = {
            timeoutMs,
            clock,
            cancel,
            expired: (pagesRead) => source.kind === 'discovery'
                ? discoveryTimedOut(timeoutMs, pagesRead)
                : source.kind === 'plan-file'
                    ? recheckTimedOut(timeoutMs, pagesRead, source.ids.length)
                    : // Explicit IDs are listed only to be looked up, by a dry run.
                        lookupTimedOut(timeoutMs, pagesRead, source.ids.length),
        };
        let selection = await withinDeadline(deadline, listPage, (boundedListPage, signal) => source.kind === 'plan-file'
            ? selectFromPlan(source, boundedListPage, concurrency, signal)
            : selectDeliveries(source, boundedListPage, concurrency, signal));
        if (selection.planCheck)
            log.info(describePlanCheck(selection));
        // A dry run makes a plan: of what applying can check again, explicit IDs looked up first.
        if (settings.dryRun) {
            const selected = selection;
            // Looking up explicit IDs is a walk of the list too: under the same deadline.
            selection = await withinDeadline(deadline, listPage, (boundedListPage, signal) => plannable(selected, boundedListPage, concurrency, signal));
            if (selection.source.kind === 'delivery-ids' || selection.source.kind === 'delivery-ids-file')
                log.info(describeLookup(selection));
        }
        if (selection.source.kind === 'discovery') {
            log.info(`Discovery: ${plural(selection.discoveredCount, 'delivery', 'deliveries')} found in ${plural(selection.pagesRead, 'page')}; ${selection.ids.length} selected, ${selection.skippedCount} skipped${selection.leftOutCount ? `, ${selection.leftOutCount} left out by event-action` : ''}.`);
        }
        return { selection };
    }
    catch (error) {
        if (error instanceof ApiError)
            return { failed: error };
        throw error;
    }
}
/**
 * The send stage: batches (or the cap's refusal), the pace, the canary and what it showed, the bulk
 * calls, and the wait. Returns what it produced; a bug it meets is returned too, with what it had
 * found by then. `checkpoint` publishes the run so far before each phase of polling.
 */
async function redeliver(settings, context, selection, ledger, check, checkpoint) {
    const sending = { end: { kind: 'stopped' }, unsentAs: 'unsent' };
    try {
        sending.end = await sendSelection(settings, context, selection, ledger, check, sending, checkpoint);
    }
    catch (error) {
        sending.thrown = error;
    }
    return sending;
}
async function sendSelection(settings, context, selection, ledger, check, sending, checkpoint) {
    const { client, log, cancel } = context;
    if (selection.ids.length === 0) {
        log.info('Nothing to retry: no delivery was selected.');
        return { kind: 'nothing-selected' };
    }
    const batchSize = pacedBatchSize(settings.batchSize, settings.maxRatePerMinute);
    const plan = planBatches(selection.ids, { ...settings, batchSize });
    if (plan.kind === 'over-cap') {
        // The user's own limit said no: these are not "unsent, safe to send again".
        sending.unsentAs = 'blocked';
        return { kind: 'over-cap', selected: plan.selected, cap: plan.cap };
    }
    const split = splitCanary(selection.ids, settings.canary ?? 0, plan.batches, batchSize);
    const batches = [...split.canary, ...split.rest];
    if (split.ids.length > 0)
        sending.canary = { ids: split.ids, outcome: 'planned' };
    if (settings.maxRatePerMinute !== undefined) {
        sending.pace = pacePlan(settings.maxRatePerMinute, settings.batchSize, batches);
        // Up front: a run that cannot finish within the job's time is the user's call.
        log.info(`Pace: ${describePace(sending.pace, selection.ids.length)}.`);
    }
    if (settings.dryRun) {
        sending.unsentAs = 'planned';
        log.info(`Dry run: ${plural(selection.ids.length, 'delivery', 'deliveries')} would be redelivered in ${plural(batches.length, 'bulk call')}${split.ids.length > 0 ? `, a canary of ${split.ids.length} first` : ''}; nothing was sent.`);
        return { kind: 'dry-run', bulkCalls: batches.length };
    }
    if (cancel?.aborted)
        return { kind: 'stopped' };
    // Credentials are checked before the first batch, so that a bad secret leaves every ID unsent.
    try {
        await client.authenticate();
    }
    catch (error) {
        if (error instanceof ApiError)
            return { kind: 'not-authenticated', error };
        throw error;
    }
    const pace = sending.pace && new Pace(sending.pace.perMinute, context.clock);
    const checking = (phase) => checkpoint({
        pace: sending.pace,
        canary: phase === 'canary' && sending.canary
            ? { ...sending.canary, outcome: 'checking' }
            : sending.canary,
        verdict: { kind: 'checking', phase },
    }, 
    // While the rest is sent, a call for any ID not settled yet may be under way.
    phase === 'sending' ? 'unknown' : 'unsent');
    const sendSome = (some) => sendBatches(some, (ids, label, signals, pace) => client.redeliver(ids, label, signals, pace), ledger, {
        concurrency: settings.concurrency,
        log,
        clock: context.clock,
        cancel,
        trackEvents: settings.wait.enabled || split.ids.length > 0,
        pace,
        totalBatches: batches.length,
        check,
    });
    let canarySent;
    if (split.ids.length > 0) {
        const test = await testWithCanary(split.ids, split.canary, selection.ids.length - split.ids.length, {
            send: sendSome,
            createdCount: () => ledger.createdCount,
            settle: (sent) => {
                checking('canary');
                return waitForNew(settings, context, selection, ledger, sent);
            },
            log,
            cancel,
        });
        sending.canary = test.report;
        sending.settle = test.settle;
        const [failed] = test.sent.failures;
        if (failed)
            return { kind: 'batches-failed', first: failed };
        if (cancel?.aborted)
            return { kind: 'stopped' };
        if (test.report.outcome !== 'passed') {
            return { kind: 'canary-not-passed', timeoutMs: settings.wait.timeoutMs };
        }
        canarySent = test.sent;
        // Time has passed since the selection was made (the canary's wait): someone may have
        // redelivered one of the other events meanwhile, or HINDSITE's own retry got through.
        const rest = split.rest.flatMap((batch) => batch.ids);
        try {
            ledger.skip(await check.check(rest, `the other ${plural(rest.length, 'delivery', 'deliveries')}`));
        }
        catch (error) {
            if (error instanceof ApiError)
                return { kind: 'batches-failed', first: error };
            throw error;
        }
    }
    // The canary's checkpoint says the rest was not sent: no longer true once it goes out. A process
    // that dies while sending it (out of memory, killed) must not leave that word behind.
    if (canarySent)
        checking('sending');
    const canaryCreated = ledger.createdCount;
    const send = async () => {
        const rest = await sendSome(split.rest);
        return canarySent ? joinSent(canarySent, rest) : rest;
    };
    // One line per bulk call: folded when there are many, with the totals after the fold.
    const sent = split.rest.length <= 1
        ? await send()
        : await log.group(`Redelivering ${selection.ids.length - split.ids.length} deliveries${canarySent ? ' after the canary' : ''} in ${split.rest.length} bulk calls of up to ${batchSize} IDs, up to ${settings.concurrency} at a time${sending.pace ? `, ${describePace(sending.pace, selection.ids.length)}` : ''}`, send);
    if (batches.length > 1) {
        const tally = ledger.tally();
        log.info(`Bulk redelivery: ${ledger.createdCount} created, ${tally.dropped} dropped, ${tally.refused + tally.unknown} failed, ${tally.unsent + tally.pending} unsent, of ${selection.ids.length} IDs.`);
    }
    const [firstFailure] = sent.failures;
    if (firstFailure)
        return { kind: 'batches-failed', first: firstFailure };
    if (cancel?.aborted)
        return { kind: 'stopped' };
    if (settings.wait.enabled && ledger.createdCount > canaryCreated) {
        checking('wait');
        const settle = await waitForNew(settings, context, selection, ledger, sent);
        sending.settle = settle;
        if (settle.failingIds.length > 0 || settle.unsettledIds.length > 0) {
            return { kind: 'sent', unsettled: { timeoutMs: settings.wait.timeoutMs } };
        }
    }
    return { kind: 'sent' };
}
function waitForNew(settings, context, selection, ledger, sent) {
    const snapshot = ledger.snapshot();
    // Where the new deliveries are on the server's clock; never the runner's (see pollFilters).
    // For those the server gave no time for, the deliveries they retry are older, when all of
    // those are known; else the window is not narrowed by time.
    const given = earliestOf(sent.earliestCreatedAtMs, sent.earliestServerTimeMs);
    const originals = sent.undated
        ? earliestOriginal(snapshot.createdIds.map((id) => snapshot.originalOf.get(id)), selection)
        : undefined;
    const serverTimeMs = !sent.undated
        ? given
        : originals === undefined
            ? undefined
            : earliestOf(given, originals);
    // Another new delivery of an event we redelivered counts when it is newer than the delivery we
    // retried (when discovery told us when that was), and not much older than ours.
    const events = new Map();
    const details = new Map(snapshot.createdDetails.map((delivery) => [delivery.id, delivery]));
    snapshot.createdIds.forEach((newId) => {
        const key = sent.createdEvents.get(newId);
        if (key === undefined)
            return;
        const originalId = snapshot.originalOf.get(newId);
        const original = originalId === undefined ? undefined : selection.known.get(originalId);
        const ours = details.get(newId);
        const floor = (ours && createdAtMs(ours)) ??
            earliestOf(sent.earliestCreatedAtMs, sent.earliestServerTimeMs);
        const afterMs = Math.max(floor === undefined ? -Infinity : floor - DUPLICATE_WINDOW_MS, (original && createdAtMs(original)) ?? -Infinity);
        events.set(key, { newId, afterMs });
    });
    return waitForSettle({
        ids: snapshot.createdIds,
        details: snapshot.createdDetails,
        filters: pollFilters(serverTimeMs, sent.createdWebhooks),
        events,
        requested: new Set(snapshot.requested),
    }, (filters, page, signal) => context.client.listDeliveries(filters, page, signal), {
        timeoutMs: settings.wait.timeoutMs,
        pollIntervalMs: settings.wait.pollIntervalMs,
        concurrency: settings.concurrency,
        log: context.log,
        clock: context.clock,
        cancel: context.cancel,
    });
}
function earliestOf(a, b) {
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
/**
 * The earliest created_at of the deliveries redelivered, when discovery (or a plan) told us that
 * of every one of them; else undefined.
 */
function earliestOriginal(originalIds, selection) {
    let earliest = Infinity;
    for (const id of originalIds) {
        const original = id === undefined ? undefined : selection.known.get(id);
        const at = original && createdAtMs(original);
        if (at === undefined)
            return undefined;
        earliest = Math.min(earliest, at);
    }
    return Number.isFinite(earliest) ? earliest : undefined;
}
/** The selection less what was skipped right before sending, which it records. */
function withChangedBeforeSending(selection, changed) {
    if (changed.length === 0)
        return selection;
    const skipped = new Set(changed.map((delivery) => delivery.id));
    return {
        ...selection,
        ids: selection.ids.filter((id) => !skipped.has(id)),
        skippedCount: selection.skippedCount + changed.length,
        changedBeforeSending: [...changed],
    };
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/report/json-file.ts
/**
 * Writes a JSON object to a file in pieces, through a redactor, readable by its owner only: one
 * JSON string of 100,000 IDs would double peak memory, and no file the action writes may hold a
 * secret.
 */

const CHUNK = 1000;
/** Writes `{"key":value,...}` in the order given; arrays are written CHUNK elements at a time. */
function writeJsonFile(path, entries, redact) {
    const fd = (0,external_node_fs_namespaceObject.openSync)(path, 'w', 0o600);
    try {
        const write = (text) => void (0,external_node_fs_namespaceObject.writeSync)(fd, redact(text));
        entries.forEach(([key, value], index) => {
            write(`${index === 0 ? '{' : ','}${JSON.stringify(key)}:`);
            if (!Array.isArray(value))
                return write(JSON.stringify(value));
            for (let start = 0; start < value.length || start === 0; start += CHUNK) {
                const chunk = JSON.stringify(value.slice(start, start + CHUNK)).slice(1, -1);
                write(`${start === 0 ? '[' : chunk ? ',' : ''}${chunk}`);
            }
            write(']');
        });
        write('}\n');
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}

;// CONCATENATED MODULE: ./src/report/facts.ts
const WARNING_IDS = 20;
const KEEP_REPORT = 'it stays on the runner only until the job ends: upload it with actions/upload-artifact to keep it (see "Keeping the report" in the README)';
/** The requested IDs that the given new deliveries retry, where that is known. */
function originalsOf(newIds, ledger) {
    if (!ledger)
        return [];
    return newIds.flatMap((id) => ledger.originalOf.get(id) ?? []);
}
/** "dlv_1 (new delivery dlv_9)": the original of each new delivery, where it is known. */
function withOriginals(newIds, ledger) {
    return newIds.map((id) => {
        const original = ledger?.originalOf.get(id);
        return original === undefined ? id : `${original} (new delivery ${id})`;
    });
}
/** Each new delivery with the delivery it retries, for the report file. */
function createdPairs(ledger) {
    if (!ledger)
        return [];
    return ledger.createdIds.map((id) => ({ id, originalId: ledger.originalOf.get(id) }));
}
const STATUS_ICONS = {
    redelivered: '✅',
    'nothing-to-do': '➖',
    'nothing-redelivered': '⚠️',
    'dry-run': '📝',
    failed: '❌',
};
/** The headline as one line: the icon, then the text. */
function statusLine(status) {
    const icon = status.kind === 'dry-run' && status.empty ? '➖' : STATUS_ICONS[status.kind];
    return `${icon} ${status.text}`;
}
/** The headline's own ::warning::, if it has one. */
function statusWarning(status) {
    return status.kind === 'nothing-redelivered' || status.kind === 'dry-run'
        ? status.warning
        : undefined;
}
const sentenceCase = (text) => text.charAt(0).toUpperCase() + text.slice(1);
/** Ends a message with a full stop, unless it has one. */
const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);
const joinSentences = (...parts) => parts.filter(Boolean).join(' ');
function shortList(ids, max) {
    const shown = ids.slice(0, max).join(', ');
    return ids.length > max ? `${shown} … and ${ids.length - max} more` : shown;
}
function without(ids, left) {
    const out = new Set(left);
    return ids.filter((id) => !out.has(id));
}

;// CONCATENATED MODULE: ./src/report/messages.ts
/**
 * The run's messages: the failure (its first sentence says what happened and what to do), the
 * details that follow it in the log and summary, the warnings, and what a checkpoint says.
 */


/**
 * What a checkpoint (verdict `checking`) says in the summary, the log and the report: the run is
 * not over, and what it made already must not be made again. Undefined for a run that ended.
 */
function stillChecking(result, lists) {
    const verdict = result.verdict;
    if (verdict.kind !== 'checking')
        return undefined;
    if (verdict.phase === 'sending') {
        return `${plural(lists.created.length, 'redelivery', 'redeliveries')} created (created-ids); the canary passed and the run is sending the other ${plural(lists.outcomeUnknown.length, 'delivery', 'deliveries')}. If the step ends without another summary (killed, or out of memory), those in outcome-unknown-ids may have been redelivered: check them in HINDSITE before sending them again, and do not re-run the step as it is.`;
    }
    const whose = verdict.phase === 'canary' ? "the canary's new deliveries" : 'the new deliveries';
    const unsent = lists.unsent.length > 0
        ? ` ${plural(lists.unsent.length, 'ID was', 'IDs were')} not sent yet (unsent-ids).`
        : '';
    return `${plural(lists.created.length, 'redelivery', 'redeliveries')} created (created-ids); the run is still checking ${whose}, waiting for them to settle.${unsent} If the step ends without another summary (killed, or out of memory), the redeliveries in created-ids were made: do not re-run the step as it is, or they are redelivered again.`;
}
/** The warnings of a run: the headline's own first, when the run did nothing it was asked to. */
function warningsOf(result, lists, status) {
    const warnings = [];
    const own = statusWarning(status);
    if (own)
        warnings.push(own);
    // Every ID dropped: the headline's warning names them.
    if (lists.dropped.length > 0 && status.kind !== 'nothing-redelivered') {
        warnings.push(`HINDSITE dropped ${plural(lists.dropped.length, 'delivery ID')}: they do not exist or belong to another organisation, so nothing was redelivered for them: ${shortList(lists.dropped, WARNING_IDS)}`);
    }
    const notPlanned = result.selection?.notPlanned ?? [];
    if (notPlanned.length > 0)
        warnings.push(describeNotPlanned(notPlanned));
    for (const surplus of result.ledger?.surplus ?? []) {
        warnings.push(`Bulk redelivery batch ${surplus.batch} was answered with ${plural(surplus.createdIds.length, 'new delivery', 'new deliveries')} for ${plural(surplus.sent, 'ID')} sent: HINDSITE may have created duplicate deliveries (listed under surplusReplies in the report file).`);
    }
    const duplicates = result.settle?.duplicates ?? [];
    if (duplicates.length > 0) {
        const [first] = duplicates;
        warnings.push(`${plural(duplicates.length, 'event')} received more than one new delivery since this run started (another run overlapping this one, or a duplicate from HINDSITE), e.g. event ${first?.eventId} on webhook ${first?.webhookId}: ${[first?.newId, ...(first?.otherIds ?? [])].join(', ')}. They are listed under duplicates in the report file. Give the workflow a concurrency group so that runs never overlap.`);
    }
    return warnings;
}
/** The warning of a dry run that left deliveries out of its plan: which, and why. */
function describeNotPlanned(notPlanned) {
    const groups = [
        ['not found', "not found in the list of deliveries (unknown, or another organisation's)"],
        ['not newest', 'not the newest delivery of their event (it has a newer one, or another state)'],
        ['unknown event', 'listed without an event or state, so applying could not check them'],
    ];
    const parts = groups.flatMap(([reason, why]) => {
        const ids = notPlanned.filter((delivery) => delivery.reason === reason).map(({ id }) => id);
        return ids.length > 0 ? [`${ids.length} ${why}: ${shortList(ids, WARNING_IDS)}`] : [];
    });
    const them = notPlanned.length === 1 ? 'it' : 'them';
    return `${plural(notPlanned.length, 'delivery was', 'deliveries were')} left out of the plan, so no approval covers ${them} and applying never sends ${them}: ${parts.join('; ')}. They are listed under notPlanned in the report file.`;
}
/**
 * What the step fails with, or undefined when it passes: its first sentence says what happened and
 * what to do, and stays short; where each ID stands follows in the log and summary (failureDetails).
 */
function messages_failureMessage(result, lists) {
    const verdict = result.verdict;
    switch (verdict.kind) {
        case 'ok':
        case 'dry-run':
        case 'checking':
            return undefined;
        case 'input-refused':
            return verdict.message;
        case 'over-cap':
            return `${plural(verdict.selected, 'delivery', 'deliveries')} were selected, more than max-deliveries (${verdict.cap}), so nothing was sent: narrow the selection, or raise max-deliveries to at least ${verdict.selected}.`;
        case 'api-failed':
            return verdict.error.message;
        case 'batches-failed': {
            const next = nextSteps(lists);
            return joinSentences(sentence(verdict.first.message), next.length > 0 ? sentence(sentenceCase(next.join('; '))) : '');
        }
        case 'not-settled':
            return describeUnsettled(result, lists, verdict.timeoutMs);
        case 'canary-refused':
            return describeCanaryRefusal(result, lists, verdict.timeoutMs);
        case 'dropped':
            return `HINDSITE dropped ${plural(lists.dropped.length, 'delivery ID')} and fail-on-dropped is true: check dropped-ids (they do not exist or belong to another organisation).`;
        case 'cancelled': {
            const next = nextSteps(lists);
            return `The job was cancelled (${verdict.signal}), so the run stopped${next.length > 0 ? `: ${next.join('; ')}` : ''}.`;
        }
        case 'unexpected':
            return `Unexpected error: ${verdict.message}`;
    }
}
/** What to do with the IDs a stopped run left (none when it left none). */
function nextSteps(lists) {
    const steps = [];
    if (lists.outcomeUnknown.length > 0) {
        steps.push('check outcome-unknown-ids in HINDSITE before sending them again');
    }
    if (lists.refused.length > 0)
        steps.push('send refused-ids again once the cause is fixed');
    if (lists.unsent.length > 0)
        steps.push('send unsent-ids again');
    return steps;
}
/**
 * The details a failure's message leaves out: where every ID of a stopped run stands (no group
 * that is empty), and the new deliveries that failed again, with what they retried.
 */
function failureDetails(result, lists) {
    const details = [];
    const kind = result.verdict.kind;
    if (kind === 'batches-failed' || kind === 'cancelled') {
        const account = accountFor(lists);
        if (account)
            details.push(account);
    }
    if (lists.failedAgain.length > 0) {
        details.push(`Failed again (failed-again-ids): ${shortList(withOriginals(lists.failedAgain, result.ledger), WARNING_IDS)}.`);
    }
    if (result.settle?.error)
        details.push(`Polling the new deliveries failed: ${sentence(result.settle.error)}`);
    return details;
}
/** Where the IDs of a stopped run stand, and for each group whether it is safe to send again. */
function accountFor(lists) {
    const parts = [];
    if (lists.created.length > 0) {
        parts.push(`${plural(lists.created.length, 'redelivery', 'redeliveries')} created.`);
    }
    if (lists.outcomeUnknown.length > 0) {
        parts.push(`${plural(lists.outcomeUnknown.length, 'ID')} may have been redelivered (outcome-unknown-ids): check them in HINDSITE before sending them again.`);
    }
    if (lists.refused.length > 0) {
        parts.push(`${plural(lists.refused.length, 'ID was', 'IDs were')} refused and not redelivered (refused-ids): safe to send again once the cause is fixed.`);
    }
    if (lists.unsent.length > 0) {
        parts.push(`${plural(lists.unsent.length, 'ID was', 'IDs were')} never sent (unsent-ids): safe to send again.`);
    }
    if (lists.skipped.length > 0) {
        parts.push(`${plural(lists.skipped.length, 'ID was', 'IDs were')} skipped because ${lists.skipped.length === 1 ? 'its event' : 'their events'} changed since selected (skipped-count): not to be sent again.`);
    }
    return parts.join(' ');
}
/** "after 600 s", or "when polling failed" (its error is in the details). */
function settleEnd(result, timeoutMs) {
    return result.settle?.error ? 'when polling failed' : `after ${timeoutMs / 1000} s`;
}
/** New deliveries no poll listed are unknown, which is not the same as seen pending. */
const NEVER_LISTED = "never appeared in HINDSITE's list while waiting";
function describeUnsettled(result, lists, timeoutMs) {
    const failed = lists.failedAgain.length;
    const unsettled = lists.unsettled.length;
    const unseen = lists.unseen.length;
    const pending = unsettled - unseen;
    const redelivered = `Redelivered ${plural(lists.created.length, 'delivery', 'deliveries')}, but`;
    const notSettled = `had not settled ${settleEnd(result, timeoutMs)}`;
    if (failed > 0 && unsettled > 0) {
        return `${redelivered} ${failed} failed again (failed-again-ids) and ${unsettled} ${notSettled}: fix the receiver, then re-run failed-again-original-ids. Check unsettled-ids later, or raise wait-timeout-seconds.`;
    }
    if (failed > 0) {
        return `${redelivered} ${plural(failed, 'new delivery', 'new deliveries')} failed again (failed-again-ids): fix the receiver, then re-run failed-again-original-ids.`;
    }
    if (unseen > 0 && pending === 0) {
        const one = unseen === 1;
        return `${redelivered} ${plural(unseen, 'new delivery', 'new deliveries')} ${NEVER_LISTED} (unsettled-ids), so ${one ? 'its' : 'their'} state is unknown: check ${one ? 'it' : 'them'} in HINDSITE.`;
    }
    if (unseen > 0) {
        return `${redelivered} ${pending} ${notSettled} and ${unseen} ${NEVER_LISTED} (unsettled-ids): check them in HINDSITE later, or raise wait-timeout-seconds.`;
    }
    return `${redelivered} ${plural(unsettled, 'new delivery', 'new deliveries')} ${notSettled} (unsettled-ids): check them later, or raise wait-timeout-seconds.`;
}
/** Why the canary stopped the run: what it showed, that the rest was not sent, and what to do. */
function describeCanaryRefusal(result, lists, timeoutMs) {
    const others = lists.unsent.length;
    const rest = others > 0 ? ` and the other ${plural(others, 'was', 'were')} not sent` : '';
    const resend = others > 0 ? ' and unsent-ids' : '';
    const settle = result.settle;
    if (!settle) {
        const canary = plural(result.canary?.ids.length ?? 0, 'delivery', 'deliveries');
        return `The canary showed nothing about the receiver: HINDSITE dropped its ${canary} (dropped-ids)${rest}; check the IDs, then re-run.`;
    }
    if (lists.failedAgain.length > 0) {
        return `The receiver is still refusing: ${plural(lists.failedAgain.length, 'canary delivery', 'canary deliveries')} failed again${rest}; fix it, then re-run failed-again-original-ids${resend}.`;
    }
    const unseen = lists.unseen.length;
    if (unseen > 0 && unseen === lists.unsettled.length) {
        const one = unseen === 1;
        return `The canary did not show that the receiver is back: ${plural(unseen, 'new delivery', 'new deliveries')} ${NEVER_LISTED} (unsettled-ids), so ${one ? 'its' : 'their'} state is unknown${rest}; check ${one ? 'it' : 'them'} in HINDSITE, then re-run.`;
    }
    return `The canary did not show that the receiver is back: ${plural(lists.unsettled.length, 'new delivery', 'new deliveries')} had not settled ${settleEnd(result, timeoutMs)}${rest}; check the receiver, then re-run. If it is slow, raise wait-timeout-seconds.`;
}

;// CONCATENATED MODULE: ./src/report/outputs.ts


/** GitHub refuses a step output over 1 MiB; stay clear of it with the name and framing. */
const MAX_OUTPUT_BYTES = 1024 * 1024 - 1024;
/**
 * GitHub limits a job's outputs to 1 MB counted as UTF-16 (two bytes per character), and users map
 * these lists into job outputs: all list outputs of one run stay under this many characters.
 */
const LIST_OUTPUTS_CHARS = 500_000;
/**
 * The list outputs, cut where needed so that together they stay under `budget` characters: the
 * longest lists are cut first, to the same length, so that short lists stay whole.
 */
function fitLists(lists, budget) {
    const sizes = lists.map(([, ids]) => ids.reduce((sum, id, index) => sum + JSON.stringify(id).length + (index > 0 ? 1 : 0), 2));
    let cap = Math.max(...sizes, 0);
    if (sizes.reduce((a, b) => a + b, 0) > budget) {
        // The largest per-list cap whose total fits.
        let low = 2;
        let high = cap;
        while (low < high) {
            const middle = Math.ceil((low + high) / 2);
            const total = sizes.reduce((sum, size) => sum + Math.min(size, middle), 0);
            if (total <= budget)
                low = middle;
            else
                high = middle - 1;
        }
        cap = low;
    }
    const fitted = new Map();
    lists.forEach(([name, ids]) => {
        const { json, cut } = jsonListWithin(ids, cap, MAX_OUTPUT_BYTES);
        fitted.set(name, { json, cut, total: ids.length });
    });
    return fitted;
}
/**
 * A cut failed-ids holds only IDs that the cut refused-ids and outcome-unknown-ids hold, so that it stays
 * their union as far as it goes (each list cut on its own would keep different IDs).
 */
function consistentFailed(fitted, failed) {
    const fit = fitted.get('failed-ids');
    if (!fit || fit.cut === 0)
        return;
    const kept = new Set(['refused-ids', 'outcome-unknown-ids'].flatMap((name) => JSON.parse(fitted.get(name)?.json ?? '[]')));
    const candidates = failed.filter((id) => kept.has(id));
    const { json, cut } = jsonListWithin(candidates, fit.json.length, MAX_OUTPUT_BYTES);
    const shown = candidates.length - cut;
    fitted.set('failed-ids', { json, cut: failed.length - shown, total: failed.length });
}
/**
 * The JSON array of as many IDs as fit in `maxChars` characters (and `maxBytes` bytes of UTF-8);
 * `cut` is how many were left out.
 */
function jsonListWithin(ids, maxChars, maxBytes = Infinity) {
    // One pass over the sizes rather than stringifying ever shorter prefixes of a long list.
    let chars = 2;
    let bytes = 2;
    let fits = 0;
    for (const id of ids) {
        const quoted = JSON.stringify(id);
        const comma = fits > 0 ? 1 : 0;
        if (chars + quoted.length + comma > maxChars)
            break;
        const size = Buffer.byteLength(quoted) + comma;
        if (bytes + size > maxBytes)
            break;
        chars += quoted.length + comma;
        bytes += size;
        fits++;
    }
    return {
        json: JSON.stringify(fits === ids.length ? ids : ids.slice(0, fits)),
        cut: ids.length - fits,
    };
}
/**
 * Every output of action.yml, in order, with the list outputs cut to fit; and, when any was cut,
 * the warning that says which and where the full lists are.
 */
function outputsOf(result, lists, files) {
    const listOutputs = [
        ['selected-ids', lists.selected],
        ['created-ids', lists.created],
        ['dropped-ids', lists.dropped],
        ['failed-ids', lists.failed],
        ['refused-ids', lists.refused],
        ['outcome-unknown-ids', lists.outcomeUnknown],
        ['unsent-ids', lists.unsent],
        ['failed-again-ids', lists.failedAgain],
        ['failed-again-original-ids', lists.failedAgainOriginals],
        ['unsettled-ids', lists.unsettled],
    ];
    const fitted = fitLists(listOutputs, LIST_OUTPUTS_CHARS);
    consistentFailed(fitted, lists.failed);
    const json = (name) => fitted.get(name)?.json ?? '[]';
    const outputs = [
        ['requested-count', String(files.requested)],
        ['selected-count', String(lists.selected.length)],
        ['selected-ids', json('selected-ids')],
        ['skipped-count', String(result.selection?.skippedCount ?? 0)],
        ['plan-file', files.planFile ?? ''],
        ['plan-digest', files.planFile ? (result.planFile?.digest ?? '') : ''],
        ['created-count', String(lists.created.length)],
        ['created-ids', json('created-ids')],
        ['dropped-count', String(lists.dropped.length)],
        ['dropped-ids', json('dropped-ids')],
        ['failed-ids', json('failed-ids')],
        ['refused-ids', json('refused-ids')],
        ['outcome-unknown-ids', json('outcome-unknown-ids')],
        ['unsent-ids', json('unsent-ids')],
        ['completed-count', String(result.settle?.completedIds.length ?? 0)],
        ['failed-again-ids', json('failed-again-ids')],
        ['failed-again-original-ids', json('failed-again-original-ids')],
        ['unsettled-ids', json('unsettled-ids')],
        ['report-file', files.reportFile ?? ''],
    ];
    const cut = [...fitted]
        .filter(([, fit]) => fit.cut > 0)
        .map(([name, fit]) => `${name} (${formatCount(fit.cut)} of ${formatCount(fit.total)} left out)`);
    const cutWarning = cut.length === 0
        ? undefined
        : `Some list outputs were cut to keep all of them under ${formatCount(LIST_OUTPUTS_CHARS)} characters (GitHub limits a job's outputs to 1 MB): ${cut.join(', ')}. The full lists are in the report file${files.reportFile ? ` (${files.reportFile}, the report-file output)` : ''}; ${KEEP_REPORT}.`;
    return { outputs, cutWarning };
}

;// CONCATENATED MODULE: ./src/report/status.ts
/** The headline of a run: the one place that decides what the summary's first line says. */


/** The one place that decides the headline; `failure` is failureMessage's verdict on the run. */
function statusOf(result, lists, failure) {
    if (failure !== undefined)
        return { kind: 'failed', text: failure };
    const selected = lists.selected.length;
    const unmatched = unmatchedFilters(result);
    if (result.verdict.kind === 'dry-run' || result.settings?.dryRun) {
        return selected > 0
            ? {
                kind: 'dry-run',
                empty: false,
                text: `Dry run: ${plural(selected, 'delivery', 'deliveries')} to approve; nothing was sent.`,
            }
            : {
                kind: 'dry-run',
                empty: true,
                text: joinSentences('Dry run: nothing to approve.', whyNothing(result), 'No plan was written.'),
                // A dry run that matched nothing is as likely a typo in a filter as a run that sends.
                warning: unmatched && `Nothing to approve: ${unmatched}`,
            };
    }
    const created = lists.created.length;
    if (created > 0) {
        return {
            kind: 'redelivered',
            text: `${plural(created, 'redelivery', 'redeliveries')} created.`,
        };
    }
    if (selected > 0) {
        const dropped = lists.dropped.length;
        const what = dropped === selected
            ? selected === 1
                ? 'HINDSITE dropped the only delivery ID: it does not exist or belongs to another organisation.'
                : `HINDSITE dropped all ${plural(selected, 'delivery ID')}: they do not exist or belong to another organisation.`
            : `HINDSITE created no redelivery for the ${plural(selected, 'delivery', 'deliveries')} selected.`;
        return {
            kind: 'nothing-redelivered',
            text: `Nothing redelivered: ${what}`,
            warning: `Nothing redelivered: ${what}${dropped > 0 ? ` Check the IDs (dropped-ids): ${shortList(lists.dropped, WARNING_IDS)}.` : ''}`,
        };
    }
    if (unmatched) {
        const text = `Nothing redelivered: ${unmatched}`;
        return { kind: 'nothing-redelivered', text, warning: text };
    }
    return {
        kind: 'nothing-to-do',
        text: joinSentences('Nothing to do: no failed deliveries found.', whyNothing(result)),
    };
}
/**
 * Discovery that matched no delivery at all under its filters (a typo in webhook-id, say): the
 * sentence naming the filters' values, or undefined.
 */
function unmatchedFilters(result) {
    const selection = result.selection;
    if (selection?.source.kind !== 'discovery' || requestedCount(result) > 0)
        return undefined;
    const source = selection.source;
    const filters = [];
    if (source.webhookId)
        filters.push(`webhook-id: ${source.webhookId}`);
    if (source.since) {
        const iso = source.since.toISOString();
        filters.push(source.sinceInput && source.sinceInput !== iso
            ? `since: ${source.sinceInput}, from ${iso}`
            : `since: ${iso}`);
    }
    if (source.eventActions)
        filters.push(`event-action: ${source.eventActions.join(', ')}`);
    return `discovery matched no delivery under its filters (${filters.join('; ')}). Check these values.`;
}
/** Why a run selected nothing, in a sentence ('' when there is nothing to say). */
function whyNothing(result) {
    const selection = result.selection;
    if (!selection)
        return '';
    const source = selection.source;
    switch (source.kind) {
        case 'delivery-ids':
            return 'The delivery-ids input lists no ID.';
        case 'delivery-ids-file':
            return 'The delivery-ids-file lists no ID.';
        case 'discovery': {
            const found = requestedCount(result);
            if (found === 0)
                return sentenceCase(unmatchedFilters(result) ?? '');
            return `Discovery found ${plural(found, 'delivery', 'deliveries')}; the newest delivery of each event is not ${source.state}.`;
        }
        case 'plan-file':
            return selection.skippedCount > 0
                ? `${sentenceCase(plural(selection.skippedCount, 'planned delivery', 'planned deliveries'))} changed since the plan (skipped).`
                : 'The plan lists no delivery.';
    }
}
/**
 * Deliveries the run started from, before skipping: the distinct IDs given, the deliveries
 * discovery found under its filters (event-action included), or the deliveries of the plan.
 */
function requestedCount({ settings, selection }) {
    const source = selection?.source ?? settings?.source;
    if (!source)
        return 0;
    if (source.kind !== 'discovery')
        return source.ids.length;
    return selection ? selection.discoveredCount - (selection.leftOutCount ?? 0) : 0;
}

;// CONCATENATED MODULE: ./src/report/markdown.ts
/**
 * Markdown for the job summary: text from outside shown as written (no markup can start inside it),
 * cells that cannot break a table, code spans that cannot be closed early, and tables that say what
 * they cut.
 */

/** Text from outside on one line, with no control character left in it. */
function oneLine(text) {
    return text.replace(/[\t\n\r\u2028\u2029]+/g, ' ').replace(UNPRINTABLE, '\ufffd');
}
/** What starts Markdown or HTML anywhere in a line (`&`, `<` and `>` become references). */
const MARKDOWN_SPECIAL = /[\\`*_[\]()#!|~$<>&]/g;
const HTML_REFERENCES = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const isWordChar = (char) => !!char && /[A-Za-z0-9]/.test(char);
/**
 * Text from outside (a server's words, an ID, a file name) as Markdown that shows it as written:
 * no heading, list, link, image, HTML, emphasis, math or table cell can start inside it, and it
 * stays on one line. An `_` between letters stays as it is (`dlv_000001`): it cannot emphasise.
 */
function markdownText(text) {
    const line = oneLine(text);
    const escaped = line.replace(MARKDOWN_SPECIAL, (char, at) => {
        if (char === '_' && isWordChar(line[at - 1]) && isWordChar(line[at + 1]))
            return char;
        return HTML_REFERENCES[char] ?? `\\${char}`;
    });
    // What opens a block at the start of a line: a list item, a numbered item, a setext underline.
    return escaped.replace(/^(\s*)([-+=]|\d{1,9}(?=[.)]))/, (_, space, marker) => /\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`);
}
/** Markdown cell text: one line, nothing that could end the cell or start markup. */
function cell(text) {
    if (text === null || text === undefined || text === '')
        return '—';
    return markdownText(String(text));
}
/**
 * `text` as a code span: its fence is longer than any run of backticks inside, so none can close
 * it early, and a space pads a text that starts or ends with a backtick or a space (Markdown drops
 * one space on each side).
 */
function codeSpan(text) {
    const line = oneLine(text);
    if (line === '')
        return '—';
    let longest = 0;
    for (let at = 0, run = 0; at < line.length; at++) {
        run = line[at] === '`' ? run + 1 : 0;
        longest = Math.max(longest, run);
    }
    const fence = '`'.repeat(longest + 1);
    const pad = /^[` ]|[` ]$/.test(line) ? ' ' : '';
    return `${fence}${pad}${line}${pad}${fence}`;
}
/** A table of the first rows; `total` counts them all, so that it can say how many it left out. */
function table(header, rows, total, reportFile) {
    const lines = [
        `| ${header.join(' | ')} |`,
        `| ${header.map(() => '---').join(' | ')} |`,
        ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    ];
    if (total > rows.length) {
        lines.push('', `… and ${total - rows.length} more${reportFile ? ` (all of them are in ${codeSpan(reportFile)})` : ''}.`);
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/report/plan-review.ts
/**
 * Plans in words: the review a dry run's summary gives the person who approves it, and what
 * applying a plan found. Pure, like summary.ts, which places these sections in the summary.
 */



/** Rows of the per-webhook and per-event-action counts; the rest are counted in one line. */
const COUNT_ROWS = 20;
/** How the apply run's selection was made, for the summary's "Selection:" line. */
function describePlanSelection(check) {
    return `the plan file ${codeSpan(check.path)} (\`plan-file\`), digest ${codeSpan(check.digest)}, made at ${codeSpan(check.createdAt)}`;
}
/** The rows the selection table adds for a plan being applied. */
function planCountRows(check) {
    return [
        ['Planned', check.planned],
        ['Skipped: changed since the plan', check.changed.length],
    ];
}
function countBy(deliveries, key) {
    const counts = new Map();
    for (const delivery of deliveries) {
        const value = key(delivery);
        counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return [...counts].sort(([a, countA], [b, countB]) => countB - countA || String(a).localeCompare(String(b)));
}
function countTable(title, counts) {
    const rows = counts
        .slice(0, COUNT_ROWS)
        .map(([value, count]) => [value === null ? '(not listed)' : value, count]);
    return table([title, 'Deliveries'], rows, counts.length);
}
/** The time range of the planned events: the earliest and latest created_at known. */
function timeRange(deliveries) {
    let first;
    let last;
    for (const delivery of deliveries) {
        const time = delivery.createdAt === null ? NaN : Date.parse(delivery.createdAt);
        if (Number.isNaN(time))
            continue;
        first = Math.min(first ?? time, time);
        last = Math.max(last ?? time, time);
    }
    return first === undefined || last === undefined
        ? undefined
        : [new Date(first).toISOString(), new Date(last).toISOString()];
}
/** Why a delivery was left out of a plan, in the words of the "Not planned" table. */
const NOT_PLANNED_REASONS = {
    'not found': "not found: unknown, or another organisation's",
    'not newest': 'not the newest delivery of its event',
    'unknown event': 'listed without an event or state: applying could not check it',
};
function notPlannedSection(notPlanned, reportFile) {
    if (notPlanned.length === 0)
        return [];
    const rows = notPlanned
        .slice(0, SUMMARY_ROWS)
        .map((delivery) => [
        delivery.id,
        NOT_PLANNED_REASONS[delivery.reason],
        delivery.newestId,
        delivery.newestState,
    ]);
    return [
        `#### Not planned (${notPlanned.length})`,
        '',
        'Left out of the plan: no approval covers them, and applying the plan never sends them. Applying checks every planned delivery again by its event, and these could not be checked, or would be skipped (`notPlanned` in the report file).',
        '',
        table(['Delivery', 'Why', 'Newest delivery of its event', 'Its state'], rows, notPlanned.length, reportFile),
        '',
    ];
}
/**
 * What a person approves: the digest that binds the set, the totals, counts per webhook and per
 * event action, the time range of the events, what was left out, and what applying (once, or
 * again) does (the rows follow in "Would be redelivered").
 */
function planReview(plan, planFilePath, notPlanned = [], reportFile) {
    const deliveries = plan.deliveries;
    const byWebhook = countBy(deliveries, (delivery) => delivery.webhookId);
    const byAction = countBy(deliveries, (delivery) => delivery.eventAction);
    const range = timeRange(deliveries);
    const totals = [['Deliveries planned', deliveries.length]];
    if (notPlanned.length > 0)
        totals.push(['Not planned', notPlanned.length]);
    totals.push(['Webhooks', byWebhook.filter(([webhook]) => webhook !== null).length], ['Event actions', byAction.filter(([action]) => action !== null).length], ['Events from', range?.[0] ?? '—'], ['Events to', range?.[1] ?? '—']);
    const madeAt = codeSpan(plan.createdAt);
    const parts = [
        '### Plan for approval',
        '',
        `**Plan digest** (\`plan-digest\`): ${codeSpan(plan.digest)}`,
        '',
        `Made at ${madeAt} for ${codeSpan(plan.apiUrl)} with ${plan.clientId.startsWith('access-token:') ? 'an access-token' : `client ID ${codeSpan(plan.clientId)}`}.${planFilePath ? ` Plan file (\`plan-file\`): ${codeSpan(planFilePath)}.` : ''}`,
        '',
        table(['', 'Count'], totals, totals.length),
        '',
    ];
    if (deliveries.length > 0) {
        parts.push(countTable('Webhook', byWebhook), '', countTable('Event action', byAction), '');
    }
    parts.push(...notPlannedSection(notPlanned, reportFile));
    parts.push(`To apply exactly this set, run the action with \`plan-file\` set to this plan file and \`plan-digest: ${plan.digest}\` (required: pass this digest as approved, never one read from the file), within \`plan-max-age\` (24h by default) of ${madeAt}. Applying checks every planned delivery again through the list API and skips each event whose newest delivery is no longer the planned one, in the planned state (retried, or completed).`, '', 'Applying this plan again (a second run, or "Re-run jobs") redelivers nothing that an earlier apply redelivered: those events have a newer delivery by then, so they are skipped. What an earlier apply did not get redelivered (a refused call, say) is sent.');
    return parts.join('\n');
}
/** What applying a plan found before sending: which events changed since the plan. */
function planApplied(check, reportFile) {
    const parts = ['### Plan applied', ''];
    if (check.rechecked > 0) {
        parts.push(`${plural(check.rechecked, 'planned delivery was', 'planned deliveries were')} checked again through the list API before sending: ${plural(check.changed.length, 'event')} changed since the plan (a newer delivery, e.g. from an earlier apply of this plan, or another state) and ${check.changed.length === 1 ? 'was' : 'were'} skipped (\`skipped-count\`).`, '');
    }
    if (check.changed.length > 0) {
        const rows = check.changed
            .slice(0, SUMMARY_ROWS)
            .map((delivery) => [
            delivery.id,
            delivery.eventId,
            delivery.webhookId,
            delivery.plannedState,
            delivery.newestId,
            delivery.newestState,
        ]);
        parts.push(`#### Skipped: changed since the plan (${check.changed.length})`, '', table([
            'Planned delivery',
            'Event',
            'Webhook',
            'Planned state',
            'Newest delivery now',
            'Its state',
        ], rows, check.changed.length, reportFile));
    }
    return parts.join('\n').trimEnd();
}

;// CONCATENATED MODULE: ./src/report/summary.ts
/** The job summary: the headline, the selection, the counts, and every group of IDs in need of attention. */






/** The deliveries skipped right before sending, each with what its event's newest delivery is now. */
function changedBeforeSendingBlock(changed, reportFile) {
    const shown = changed
        .slice(0, SUMMARY_ROWS)
        .map((delivery) => delivery.newestId === null
        ? `${codeSpan(delivery.id)} (no longer listed)`
        : `${codeSpan(delivery.id)} (newest now ${codeSpan(delivery.newestId)}, ${markdownText(delivery.newestState ?? 'no state')})`)
        .join(', ');
    const more = changed.length > SUMMARY_ROWS
        ? ` … and ${changed.length - SUMMARY_ROWS} more${reportFile ? ` (changedBeforeSending in ${codeSpan(reportFile)})` : ''}`
        : '';
    return `### Skipped: event changed before sending (${changed.length})\n\nChecked again right before sending (after the canary's wait, or during a long paced run): their event has a newer delivery, or is no longer in the state selected (redelivered by someone else, or HINDSITE's own retry got through), so they were not sent again (counted in \`skipped-count\`).\n\n${shown}${more}\n`;
}
function idBlock(title, ids, note, reportFile) {
    if (ids.length === 0)
        return '';
    const shown = ids.slice(0, SUMMARY_ROWS).map(codeSpan).join(', ');
    const more = ids.length > SUMMARY_ROWS
        ? ` … and ${ids.length - SUMMARY_ROWS} more${reportFile ? ` (see ${codeSpan(reportFile)})` : ''}`
        : '';
    return `### ${title} (${ids.length})\n\n${note}\n\n${shown}${more}\n`;
}
function describeSource(selection) {
    const source = selection.source;
    switch (source.kind) {
        case 'delivery-ids':
            return `IDs from the \`delivery-ids\` input`;
        case 'delivery-ids-file':
            return `IDs from the file ${codeSpan(source.path)} (\`delivery-ids-file\`)`;
        case 'discovery': {
            const filters = [
                `state ${codeSpan(source.state)} (newest delivery of each event)`,
                source.webhookId ? `webhook ${codeSpan(source.webhookId)}` : 'all webhooks',
                source.since
                    ? `created since ${source.since.toISOString()}${source.sinceInput && source.sinceInput !== source.since.toISOString() ? ` (${codeSpan(`since: ${source.sinceInput}`)})` : ''}`
                    : 'no time limit',
            ];
            if (source.eventActions) {
                filters.push(`event action ${source.eventActions.map(codeSpan).join(' or ')}`);
            }
            return `discovery through the list API: ${filters.join(', ')}`;
        }
        case 'plan-file':
            return selection.planCheck ? describePlanSelection(selection.planCheck) : 'a plan file';
    }
}
/** The pace and the canary of a run, as summary paragraphs (none when neither was asked for). */
function recoveryLines({ pace, canary, selection, verdict }) {
    const lines = [];
    const count = selection?.ids.length ?? 0;
    if (pace)
        lines.push(`**Pace:** ${describePace(pace, count)}.`, '');
    if (canary) {
        const which = {
            discovery: 'the oldest events',
            'plan-file': 'the oldest events of the plan',
            'delivery-ids': 'the first IDs given',
            'delivery-ids-file': 'the first IDs given',
        }[selection?.source.kind ?? 'delivery-ids'];
        const first = `${plural(canary.ids.length, 'delivery', 'deliveries')} (${which})`;
        const others = count - canary.ids.length;
        const rest = plural(others, 'other delivery', 'other deliveries');
        const notSent = `so the ${plural(others, 'other delivery was', 'other deliveries were')} not sent`;
        const said = {
            planned: verdict.kind === 'dry-run'
                ? `${first} would be redelivered first, and the ${rest} only once every new delivery of the canary completes`
                : `${first} to be redelivered first; the run stopped before it was sent`,
            passed: `${first} redelivered first; every new delivery of it completed, so the run went on to the ${rest}`,
            refused: `${first} redelivered first; some of its new deliveries failed again: the receiver is still refusing, ${notSent}`,
            unproven: `${first} redelivered first; it did not show that the receiver is back, ${notSent}`,
            stopped: `${first} redelivered first; the run stopped while it was sent, ${notSent}`,
            checking: `${first} redelivered first; its new deliveries are being watched, and the ${rest} follow only if every one of them completes`,
        };
        lines.push(`**Canary:** ${said[canary.outcome]}.`, '');
    }
    return lines;
}
function renderSummary(outcome, { lists, status, warnings, details, checking }, reportFile, planFile) {
    const dryRun = status.kind === 'dry-run';
    const parts = ['## HINDSITE webhook redelivery', ''];
    if (checking) {
        parts.push(`⏳ **Still checking:** ${markdownText(checking)}`, '');
    }
    else if (status.kind === 'failed') {
        parts.push(`❌ **Failed:** ${markdownText(status.text)}`, '');
        parts.push(...details.flatMap((detail) => [markdownText(detail), '']));
    }
    else {
        parts.push(`${statusLine({ ...status, text: markdownText(status.text) })}`, '');
    }
    // The headline's own warning is the headline: not said twice.
    const own = statusWarning(status);
    const others = warnings.filter((warning) => warning !== own);
    if (others.length > 0) {
        parts.push(...others.map((warning) => `> ⚠️ ${cell(warning)}`), '');
    }
    const selection = outcome.selection;
    if (selection) {
        parts.push(`**Selection:** ${describeSource(selection)}.`, '', ...recoveryLines(outcome));
        const rows = [];
        const changedBeforeSending = selection.changedBeforeSending ?? [];
        if (selection.source.kind === 'discovery') {
            rows.push(['Deliveries found', selection.discoveredCount], [
                'Skipped (newest delivery of the event not in the state asked for)',
                selection.skippedCount - changedBeforeSending.length,
            ]);
            if (selection.source.eventActions) {
                rows.push(['Left out by event-action', selection.leftOutCount ?? 0]);
            }
        }
        else if (selection.planCheck) {
            rows.push(...planCountRows(selection.planCheck));
        }
        if (selection.notPlanned && selection.notPlanned.length > 0) {
            rows.push(['Not planned', selection.notPlanned.length]);
        }
        if (changedBeforeSending.length > 0) {
            rows.push([
                'Skipped before sending: event changed since selected',
                changedBeforeSending.length,
            ]);
        }
        rows.push(['Selected', lists.selected.length]);
        if (lists.blocked.length > 0)
            rows.push(['Blocked by max-deliveries', lists.blocked.length]);
        else if (!dryRun) {
            rows.push(['Redeliveries created', lists.created.length], ['Dropped by HINDSITE', lists.dropped.length], ['Failed: refused', lists.refused.length], ['Failed: outcome unknown', lists.outcomeUnknown.length], ['Unsent', lists.unsent.length]);
        }
        if (outcome.settle) {
            rows.push(['Completed after redelivery', outcome.settle.completedIds.length], ['Failed again', lists.failedAgain.length]);
            if (lists.unseen.length > 0) {
                rows.push(['Still pending or in progress', lists.unsettled.length - lists.unseen.length], ['Never listed while waiting', lists.unseen.length]);
            }
            else {
                rows.push(['Still unsettled', lists.unsettled.length]);
            }
        }
        parts.push(table(['', 'Count'], rows, rows.length), '');
    }
    if (outcome.planFile) {
        parts.push(planReview(outcome.planFile, planFile, selection?.notPlanned, reportFile), '');
    }
    if (selection?.planCheck)
        parts.push(planApplied(selection.planCheck, reportFile), '');
    if (selection?.changedBeforeSending?.length) {
        parts.push(changedBeforeSendingBlock(selection.changedBeforeSending, reportFile));
    }
    const ledger = outcome.ledger;
    if (dryRun && lists.selected.length > 0) {
        const known = selection?.known ?? new Map();
        const rows = lists.selected.slice(0, SUMMARY_ROWS).map((id) => {
            const delivery = known.get(id);
            return [
                id,
                delivery?.eventId,
                delivery?.eventAction,
                delivery?.webhookId,
                delivery?.state,
                delivery?.createdAt,
            ];
        });
        parts.push('### Would be redelivered', '', table(['Delivery', 'Event', 'Action', 'Webhook', 'State', 'Created'], rows, lists.selected.length, reportFile), '');
    }
    if (ledger && ledger.createdIds.length > 0) {
        const final = outcome.settle?.final;
        const rows = ledger.createdDetails.slice(0, SUMMARY_ROWS).map((delivery) => {
            const settled = final?.get(delivery.id) ?? delivery;
            const response = settled.response
                ? (settled.response.error ?? settled.response.code)
                : undefined;
            return [
                delivery.originalId,
                delivery.id,
                delivery.eventId,
                delivery.eventAction,
                delivery.webhookId,
                settled.state,
                response,
            ];
        });
        parts.push('### New deliveries', '', table(['Original', 'New delivery', 'Event', 'Action', 'Webhook', 'State', 'Response'], rows, ledger.createdIds.length, reportFile), '');
        if (ledger.pairedByPositionOnly) {
            parts.push('<sub>_Original_ is the ID at the same position in the request: HINDSITE lists the new deliveries without naming the ones they retry.</sub>', '');
        }
    }
    parts.push(idBlock('Dropped', lists.dropped, "HINDSITE did not find these IDs in the organisation (unknown, or another organisation's); nothing was redelivered for them.", reportFile), idBlock('Failed: outcome unknown', lists.outcomeUnknown, 'Sent, but no answer accounted for them (5xx, timeout, lost connection, a reply that does not add up, a cancelled job): HINDSITE **may** have redelivered them. Check before sending them again (`outcome-unknown-ids`).', reportFile), idBlock('Failed: refused', lists.refused, 'Sent and refused by HINDSITE (see the error above): nothing was redelivered for them; safe to send again once the cause is fixed (`refused-ids`).', reportFile), idBlock('Unsent', lists.unsent, 'Never sent: safe to send again (`delivery-ids` from the `unsent-ids` output).', reportFile), idBlock('Blocked by max-deliveries', lists.blocked, 'Not sent because the selection is larger than `max-deliveries`: not safe to send blindly. Narrow the selection or raise the cap.', reportFile), idBlock('Failed again', lists.failedAgain, 'New deliveries that the receiver refused again (`retrying` or `errored`); re-run with their originals (`failed-again-original-ids`) once the receiver is fixed.', reportFile), idBlock('Unsettled', lists.unseen.length > 0 ? without(lists.unsettled, lists.unseen) : lists.unsettled, 'New deliveries still pending or in progress when the wait ended.', reportFile), idBlock('Never listed while waiting', lists.unseen, "New deliveries that no poll listed: their state is unknown, which says nothing about the receiver (HINDSITE's list may lag behind). Check them in HINDSITE; `unsettled-ids` has them too.", reportFile));
    if (reportFile) {
        parts.push(`<sub>Every list in full is in the report file (the \`report-file\` output); ${KEEP_REPORT}.</sub>`, '');
    }
    return parts.filter((part, index) => part !== '' || parts[index - 1] !== '').join('\n');
}

;// CONCATENATED MODULE: ./src/report/render.ts





function listsOf(result) {
    const ledger = result.ledger;
    const failedAgain = result.settle?.failingIds ?? [];
    return {
        selected: result.selection?.ids ?? [],
        created: ledger?.createdIds ?? [],
        dropped: ledger?.dropped ?? [],
        failed: ledger?.failed ?? [],
        refused: ledger?.refused ?? [],
        outcomeUnknown: ledger?.unknown ?? [],
        unsent: ledger?.unsent ?? [],
        blocked: ledger?.blocked ?? [],
        failedAgain,
        failedAgainOriginals: originalsOf(failedAgain, ledger),
        unsettled: result.settle?.unsettledIds ?? [],
        unseen: result.settle?.unseenIds ?? [],
        skipped: ledger?.skipped ?? [],
    };
}
function describeRun(result) {
    const lists = listsOf(result);
    const failure = messages_failureMessage(result, lists);
    const status = statusOf(result, lists, failure);
    return {
        lists,
        status,
        warnings: warningsOf(result, lists, status),
        failure,
        details: failure === undefined ? [] : failureDetails(result, lists),
        checking: stillChecking(result, lists),
    };
}
/** The report file's sections, in order: every list in full. */
function reportSections(result, text = describeRun(result)) {
    const ledger = result.ledger;
    const { lists, warnings, failure } = text;
    return [
        ['requested', ledger?.requested ?? []],
        ['selected', lists.selected],
        ['created', createdPairs(ledger)],
        ['dropped', lists.dropped],
        ['failed', lists.failed],
        ['refused', lists.refused],
        ['outcomeUnknown', lists.outcomeUnknown],
        ['failures', ledger?.failures ?? []],
        ['unsent', lists.unsent],
        ['blocked', lists.blocked],
        ['completed', result.settle?.completedIds ?? []],
        ['failedAgain', lists.failedAgain],
        ['failedAgainOriginals', lists.failedAgainOriginals],
        ['unsettled', lists.unsettled],
        ['neverListed', lists.unseen],
        ['settled', result.settle ? [...result.settle.final.values()] : []],
        ['surplusReplies', ledger?.surplus ?? []],
        ['duplicates', result.settle?.duplicates ?? []],
        ['changedSincePlan', result.selection?.planCheck?.changed ?? []],
        ['notPlanned', result.selection?.notPlanned ?? []],
        ['changedBeforeSending', result.selection?.changedBeforeSending ?? []],
        ['dryRun', result.verdict.kind === 'dry-run'],
        ['pace', result.pace ?? null],
        ['canary', result.canary ?? null],
        ['warnings', warnings],
        ['stillChecking', text.checking ?? null],
        ['failure', failure ?? null],
    ];
}
function render(result, reportFile, planFile, text = describeRun(result)) {
    const { lists, failure } = text;
    // Its own copy: the cut-outputs warning is added here, not in the report.
    const warnings = [...text.warnings];
    const { outputs, cutWarning } = outputsOf(result, lists, {
        requested: requestedCount(result),
        reportFile,
        planFile,
    });
    if (cutWarning)
        warnings.unshift(cutWarning);
    return {
        outputs,
        warnings,
        summary: renderSummary(result, { ...text, warnings }, reportFile, planFile),
        failure,
        log: logLines(text),
    };
}
/**
 * The plain lines the log ends with: after a failure, its details (the ::error:: line stays
 * short); otherwise the headline, unless it is a warning, which the ::warning:: line says.
 */
function logLines({ status, details }) {
    if (status.kind === 'failed')
        return details;
    if (status.kind === 'nothing-redelivered')
        return [];
    return [statusLine(status)];
}
/** The message the step fails with, or undefined when it passes (see messages.ts). */
function failureOf(result) {
    return failureMessage(result, listsOf(result));
}

;// CONCATENATED MODULE: ./src/report/publish.ts
/**
 * Writes a rendered result where the runner reads it: step outputs, warnings, the job summary, the
 * report file and a dry run's plan file. With main.ts (and ids-file.ts, which main.ts calls to read
 * an input, and json-file.ts, which writes the files), the only module that touches @actions/core
 * or the file system.
 */







/** The files hold redacted values already: nothing is redacted after serializing. */
const asWritten = (text) => text;
/**
 * Publishes a run's result where the runner reads it, once at the end and, before the polling that
 * follows the bulk calls, as a checkpoint: a process that dies while polling (out of memory,
 * killed) has then already recorded what it made. Each publication replaces the one before: the
 * runner takes the last value of an output, the report file is replaced whole, and the summary
 * this step wrote is rewritten, not added to.
 */
class Publisher {
    target;
    /** The size of the summary file before this step first wrote to it. */
    summaryStart;
    constructor(target) {
        this.target = target;
    }
    /**
     * The run so far (verdict `checking`): outputs, report file and summary, and a log line saying
     * the run is still checking. Warnings wait for the end. Never throws: the run goes on.
     */
    checkpoint(result) {
        const { redactor, log } = this.target;
        try {
            const clean = redactor.redactValues(result);
            const text = describeRun(clean);
            const reportFile = this.writeReportFile(clean, text);
            const { outputs, summary } = render(clean, reportFile, undefined, text);
            this.writeRunnerFiles(outputs, summary);
            const before = clean.verdict.kind === 'checking' && clean.verdict.phase === 'sending'
                ? 'before sending the rest'
                : 'before checking';
            log.info(`Outputs, summary and report written ${before}: ${text.checking ?? ''}`);
        }
        catch (error) {
            log.warning(`Could not write the outputs, summary or report before checking the new deliveries: ${errorMessage(error)}`);
        }
    }
    /**
     * Publishes the result on every path, so that a failed run still says where each ID stands.
     * Returns the message the step fails with (redacted), or undefined when it passes.
     *
     * Secrets are removed from the run's values (each ID, each message) before anything is rendered
     * or serialized: a secret that is one character long, or a common one, then replaces whole
     * values only, and a replacement can never cut through JSON or Markdown syntax. The rendered
     * texts are redacted once more on top, for what only composing them could spell.
     */
    publish(result) {
        const { redactor, log } = this.target;
        const clean = redactor.redactValues(result);
        // Messages composed from clean values are redacted as values again (nothing else is copied).
        const text = describeRun(clean);
        const reportFile = this.writeReportFile(clean, text);
        const plan = writePlanFile(clean, this.target);
        const { outputs, warnings, summary, failure, log: lines, } = render(clean, reportFile, plan.path, text);
        // A dry run whose plan cannot be written has not made the plan it was asked for.
        let problem = failure === undefined ? plan.failure : undefined;
        try {
            for (const warning of warnings)
                log.warning(warning);
            for (const line of lines)
                log.info(line);
            this.writeRunnerFiles(outputs, summary);
        }
        catch (error) {
            // The runner's files could not be written: say so, on top of whatever the run found.
            const reason = `Could not write the step's outputs or summary: ${errorMessage(error)}`;
            problem = problem ? `${problem} ${reason}` : reason;
        }
        const message = [failure, problem].filter(Boolean).join(' ');
        return message ? printable(redactor.redact(message)) : undefined;
    }
    /** Outputs (a later value of a name wins), then the step's summary in place of the last one. */
    writeRunnerFiles(outputs, summary) {
        const { redactor, summaryFile } = this.target;
        for (const [name, value] of outputs)
            setOutput(name, outputValue(name, value, redactor));
        if (!summaryFile)
            return;
        if (this.summaryStart === undefined)
            this.summaryStart = sizeOf(summaryFile);
        else
            (0,external_node_fs_namespaceObject.truncateSync)(summaryFile, this.summaryStart);
        // Appended as core.summary does, without its process-wide cache of the file's path.
        (0,external_node_fs_namespaceObject.appendFileSync)(summaryFile, `${redactor.redact(summary)}\n`);
    }
    /**
     * The report file: every list in full, of redacted values. Written beside its place and then
     * moved there, so that it is always one whole report, the checkpoint's or the final one.
     */
    writeReportFile(result, text) {
        const { redactor, reportDir: dir, runId, log } = this.target;
        try {
            (0,external_node_fs_namespaceObject.mkdirSync)(dir, { recursive: true });
            const path = (0,external_node_path_namespaceObject.join)(dir, `hindsite-redeliver-${runId}.json`);
            const partial = `${path}.partial`;
            writeJsonFile(partial, redactor.redactValues(reportSections(result, text)), asWritten);
            (0,external_node_fs_namespaceObject.renameSync)(partial, path);
            return path;
        }
        catch (error) {
            log.warning(`Could not write the report file in ${dir}: ${errorMessage(error)}`);
            return undefined;
        }
    }
}
/** A file's size, 0 when it does not exist yet. */
function sizeOf(path) {
    try {
        return (0,external_node_fs_namespaceObject.statSync)(path).size;
    }
    catch {
        return 0;
    }
}
/**
 * A list output (`…-ids`) is the JSON of IDs redacted as values already: redacting its text again
 * could only break it (and would mean parsing up to 500,000 characters to tell). Any other output
 * (a count, a path, a digest) is redacted as text.
 */
function outputValue(name, value, redactor) {
    return name.endsWith('-ids') ? value : redactor.redact(value);
}
/**
 * The plan a dry run made, named after its digest, so that a job that knows the approved digest
 * knows the file's name. Its values are redacted like the report's: a plan never holds a secret,
 * and one that did would no longer match its digest.
 */
function writePlanFile(result, target) {
    const plan = result.planFile;
    if (!plan)
        return {};
    const dir = target.reportDir;
    try {
        (0,external_node_fs_namespaceObject.mkdirSync)(dir, { recursive: true });
        const path = (0,external_node_path_namespaceObject.join)(dir, `hindsite-plan-${plan.digest}.json`);
        writeJsonFile(path, Object.entries(plan), asWritten);
        return { path };
    }
    catch (error) {
        return { failure: `Could not write the plan file in ${dir}: ${errorMessage(error)}` };
    }
}

;// CONCATENATED MODULE: ./src/version.ts
/**
 * The action's version, the first line of every run's log (the first thing support asks). A
 * constant, so the bundle carries it: `npm run release` writes it together with package.json's
 * version, and a test keeps the two equal.
 */
const ACTION_VERSION = '1.0.0';

;// CONCATENATED MODULE: ./src/main.ts












const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'];
/**
 * The action: the only place that reads the environment and the real clock, and wires the stages.
 * Inputs are read through @actions/core (which reads INPUT_* from the process environment).
 */
async function run({ env = process.env, clock = systemClock, cancel, } = {}) {
    const cancelled = new AbortController();
    const onSignal = (signal) => {
        if (!cancelled.signal.aborted)
            cancelled.abort(signal);
    };
    if (cancel?.aborted) {
        cancelled.abort(cancel.reason);
    }
    else if (cancel) {
        cancel.addEventListener('abort', () => cancelled.abort(cancel.reason), { once: true });
    }
    else {
        for (const signal of CANCEL_SIGNALS)
            process.on(signal, onSignal);
    }
    try {
        await runAction(env, clock, cancelled.signal);
    }
    finally {
        for (const signal of CANCEL_SIGNALS)
            process.off(signal, onSignal);
    }
}
async function runAction(env, clock, cancel) {
    // Secrets first: nothing may print before the runner knows what to mask.
    const redactor = new Redactor();
    for (const name of SECRET_INPUTS) {
        const secret = getInput(name);
        if (secret) {
            core_setSecret(secret);
            redactor.add(secret);
        }
    }
    const log = runnerLogger(redactor);
    log.info(`hindsite-redeliver-action ${ACTION_VERSION}`);
    cancel.addEventListener('abort', () => log.warning(`Received ${String(cancel.reason)}: the job is being cancelled. No new call starts; calls in flight get a few seconds, then the outputs, summary and report are written.`), { once: true });
    // One report file for the run, written at a checkpoint and again at the end. Named at the first
    // publication, as it always was: nothing but the settings reads the clock before them.
    let publisher;
    const publishing = () => (publisher ??= new Publisher({
        redactor,
        log,
        reportDir: env['RUNNER_TEMP'] || (0,external_node_os_namespaceObject.tmpdir)(),
        summaryFile: env['GITHUB_STEP_SUMMARY'] || undefined,
        runId: [
            env['GITHUB_RUN_ID'] ?? 'local',
            env['GITHUB_ACTION'] ?? 'step',
            process.pid,
            clock.now(),
        ]
            .join('-')
            .replace(/[^\w.-]+/g, '_'),
    }));
    let result;
    try {
        const settings = readSettings({
            get: (name) => getInput(name),
            readIdsFile: (path) => readIdsFile(path),
            now: () => new Date(clock.now()),
        });
        const client = new HindsiteClient({
            apiUrl: settings.apiUrl,
            credentials: settings.credentials,
            maxAttempts: settings.maxAttempts,
            timeoutMs: settings.timeoutMs,
            log,
            clock,
            redactor,
            onToken: (token) => core_setSecret(token),
            cancel,
        });
        try {
            result = await runPipeline(settings, {
                client,
                log,
                clock,
                cancel,
                checkpoint: (partial) => publishing().checkpoint(partial),
            });
        }
        finally {
            client.close();
        }
    }
    catch (error) {
        // An input refused before any request, or a bug: the verdict says which.
        result = { verdict: decideVerdict({ thrown: error }) };
    }
    if (result.verdict.kind === 'unexpected' && result.verdict.stack) {
        // Not a failure the user can fix: a bug. The stack goes to the debug log only.
        log.debug(result.verdict.stack);
    }
    const failure = publishing().publish(result);
    if (failure)
        setFailed(failure);
}


/***/ }),

/***/ 613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 23:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
