/** First letter upper-cased: a profile's kind or status word ("network", "sent") opening a line on a card. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
