// A validator path in words, for people who never saw YAML:
// cards[14].customer.start_temperature -> "Card 15 › The customer's brief ›
// Start temperature", with the path itself for those who want it.
import { pathWords } from '../../studio/words.js';

export function PathName({ path }) {
  return (
    <>
      {pathWords(path)} <code class="muted small">{path}</code>
    </>
  );
}
