import { describe, expect, it } from '@jest/globals';
import { BOARD_SESSION_SECONDS, BoardSessions } from './queue-board-session.js';

describe('queue board sessions', () => {
  const sessions = new BoardSessions('s'.repeat(48));
  const id = '3f2b6c1e-0a4d-4e8f-9b1a-2c3d4e5f6a7b';
  it('accepts its own session until it expires, and nothing signed with another secret', () => {
    const now = Date.UTC(2026, 11, 3, 9);
    const value = sessions.issue(id, now);
    expect(sessions.verify(value, now)).toBe(id);
    expect(sessions.verify(value, now + (BOARD_SESSION_SECONDS - 1) * 1000)).toBe(id);
    expect(sessions.verify(value, now + BOARD_SESSION_SECONDS * 1000)).toBeUndefined();
    expect(new BoardSessions('t'.repeat(48)).verify(value, now)).toBeUndefined();
    expect(sessions.verify(undefined, now)).toBeUndefined();
  });
});
