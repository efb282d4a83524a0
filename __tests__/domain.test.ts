/** The event a delivery belongs to, with or without a webhook. */
import { describe, expect, it } from '@jest/globals';
import { eventKey } from '../src/model/domain.js';

describe('eventKey', () => {
  it('keys an event without a webhook apart from the same event under a webhook', () => {
    const bare = eventKey({ id: 'a', eventId: 'evt_1', response: null });
    const onWebhook = eventKey({ id: 'b', eventId: 'evt_1', webhookId: 'wh', response: null });
    expect(bare).toBe('\u0000evt_1');
    expect(onWebhook).toBe('wh\u0000evt_1');
    expect(eventKey({ id: 'c', webhookId: 'wh', response: null })).toBeUndefined();
    expect(eventKey(undefined)).toBeUndefined();
  });
});
