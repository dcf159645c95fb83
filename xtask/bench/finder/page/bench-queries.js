// What the bench types, one character at a time: each prefix is a keystroke.
export const QUERIES = [
  "sao paulo", "muller", "科技", "contoso cloud", "berlin", "microsoft 365",
  "東京", "gmbh", "zurich", "tailspin sys", "krakow", "クラウド",
];

export function keystrokes(query) {
  const chars = [...query];
  return chars.map((_, i) => chars.slice(0, i + 1).join("")).filter((s) => s.trim() !== "");
}
