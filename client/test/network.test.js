import { describe, expect, it } from 'vitest';
import { isLoopbackUrl } from '../src/network.js';

describe('join links for this computer only', () => {
  it('are the loopback names', () => {
    for (const url of ['http://127.0.0.1:5000/join/K7MXP4', 'http://127.9.8.7/join/K7MXP4', 'http://localhost:5000/join/K7MXP4',
      'http://LOCALHOST/join/K7MXP4', 'http://[::1]:5000/join/K7MXP4', 'http://app.localhost/join/K7MXP4']) {
      expect(isLoopbackUrl(url), url).toBe(true);
    }
  });
  it('are not network addresses or names', () => {
    for (const url of ['http://192.168.1.20:5000/join/K7MXP4', 'https://calmroom.example/join/K7MXP4', 'http://10.0.0.127/join/K7MXP4',
      'http://127.0.0.1.example/join/K7MXP4', 'http://[2001:db8::1]/join/K7MXP4', 'not a url']) {
      expect(isLoopbackUrl(url), url).toBe(false);
    }
  });
});
