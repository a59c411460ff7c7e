// Names that reach only the computer they are typed on: a join link with one
// of these works on the facilitator's laptop and on no phone.
const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackUrl(url) {
  try {
    return LOOPBACK.test(new URL(url).hostname);
  } catch {
    return false; // not a URL: nothing to warn about
  }
}
