/** Kafka's topic name rules, checked as you type (the backend checks them again). */

export const MAX_TOPIC_NAME = 249;

/** The problem with `name`, or null when Kafka would accept it. */
export function topicNameError(name: string): string | null {
  if (!name) return 'Enter a topic name.';
  if (name === '.' || name === '..') return '"." and ".." are not allowed.';
  if (name.length > MAX_TOPIC_NAME) return `At most ${MAX_TOPIC_NAME} characters (${name.length} given).`;
  // Every bad character, once each, in order: not one per attempt.
  const bad = [...new Set([...name].filter((c) => !/[a-zA-Z0-9._-]/.test(c)))].map((c) => `'${c}'`);
  if (bad.length === 0) return null;
  const list = bad.length === 1 ? `${bad[0]} is` : `${bad.slice(0, -1).join(', ')} and ${bad[bad.length - 1]} are`;
  return `${list} not allowed; use letters, digits, '.', '_' and '-'.`;
}

/** An existing topic whose name differs only by '.' versus '_' (they collide in Kafka's metrics). */
export function collidingTopic(name: string, existing: string[]): string | null {
  if (!/[._]/.test(name)) return null;
  const key = name.replaceAll('.', '_');
  return existing.find((other) => other !== name && other.replaceAll('.', '_') === key) ?? null;
}
