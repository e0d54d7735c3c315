import { afterEach, describe, expect, it } from 'vitest';
import { serveToken } from '../../../src-renderer/api';

afterEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});

describe('serve mode’s access token in the page', () => {
  it('is taken from the URL the server printed, kept for the tab, and dropped from the address bar', () => {
    history.replaceState(null, '', '/?token=abc123&x=1#top');
    expect(serveToken()).toBe('abc123');
    expect(location.search).toBe('?x=1');
    expect(location.hash).toBe('#top');
    // A reload (the URL has no token any more) still has it.
    expect(serveToken()).toBe('abc123');
  });

  it('is null when the page was opened without one', () => {
    expect(serveToken()).toBeNull();
  });
});
