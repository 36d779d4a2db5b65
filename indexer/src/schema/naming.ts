/**
 * Query-field names exactly as graph-node derives them from type names: Inflector 0.11.4's
 * `to_camel_case` and `to_plural`, which differ from JS `pluralize` (rules are case-sensitive
 * and applied to the PascalCase type name, so `Person` → `Persons`, `Stats` → `Stats`).
 */

// Inflector's plural rules, tried last to first; the replacement follows capture group 1.
const PLURAL_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(\w*)s$/, 's'],
  [/(\w*([^aeiou]ese))$/, ''],
  [/(\w*(ax|test))is$/, 'es'],
  [/(\w*(alias|[^aou]us|tlas|gas|ris))$/, 'es'],
  [/(\w*(e[mn]u))s?$/, 's'],
  [/(\w*([^l]ias|[aeiou]las|[emjzr]as|[iu]am))$/, ''],
  [
    /(\w*(alumn|syllab|octop|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat))(?:us|i)$/,
    'i',
  ],
  [/(\w*(alumn|alg|vertebr))(?:a|ae)$/, 'ae'],
  [/(\w*(seraph|cherub))(?:im)?$/, 'im'],
  [/(\w*(her|at|gr))o$/, 'oes'],
  [
    /(\w*(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor))(?:a|um)$/,
    'a',
  ],
  [
    /(\w*(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat))(?:a|on)$/,
    'a',
  ],
  [/(\w*)sis$/, 'ses'],
  [/(\w*(kni|wi|li))fe$/, 'ves'],
  [/(\w*(ar|l|ea|eo|oa|hoo))f$/, 'ves'],
  [/(\w*([^aeiouy]|qu))y$/, 'ies'],
  [/(\w*([^ch][ieo][ln]))ey$/, 'ies'],
  [/(\w*(x|ch|ss|sh|zz)es)$/, ''],
  [/(\w*(x|ch|ss|sh|zz))$/, 'es'],
  [/(\w*(matr|cod|mur|sil|vert|ind|append))(?:ix|ex)$/, 'ices'],
  [/(\w*(m|l)(?:ice|ouse))$/, 'ice'],
  [/(\w*(pe)(?:rson|ople))$/, 'ople'],
  [/(\w*(child))(?:ren)?$/, 'ren'],
  [/(\w*eaux)$/, ''],
];

const SPECIAL_PLURALS: Readonly<Record<string, string>> = {
  ox: 'oxen',
  man: 'men',
  woman: 'women',
  die: 'dice',
  yes: 'yeses',
  foot: 'feet',
  eave: 'eaves',
  goose: 'geese',
  tooth: 'teeth',
  quiz: 'quizzes',
};

/** Inflector's `to_plural` (uncountable words are lowercase and never match a type name). */
export function toPlural(word: string): string {
  const special = SPECIAL_PLURALS[word];
  if (special !== undefined) return special;
  for (let i = PLURAL_RULES.length - 1; i >= 0; i--) {
    const [rule, replacement] = PLURAL_RULES[i]!;
    const match = rule.exec(word);
    if (match?.[1] !== undefined) return match[1] + replacement;
  }
  return `${word}s`;
}

/**
 * Inflector's `to_camel_case`: words break at `_`, `-`, spaces and at a lower-case letter or digit
 * followed by an upper-case letter; the first word is lower-cased whole, later words capitalised.
 * `SetEvent` → `setEvent`, `ERC20Token` → `erc20Token`, `DEXTrade` → `dextrade`.
 */
export function toCamelCase(name: string): string {
  const words: string[] = [];
  let current = '';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === '_' || ch === '-' || ch === ' ') {
      if (current) words.push(current);
      current = '';
      continue;
    }
    const prev = name[i - 1];
    const isUpper = ch >= 'A' && ch <= 'Z';
    const prevLowerOrDigit = prev !== undefined && /[a-z0-9]/.test(prev);
    if (isUpper && prevLowerOrDigit && current) {
      words.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) words.push(current);
  return words
    .map((word, index) =>
      index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase(),
    )
    .join('');
}

/** The query fields graph-node generates for an entity type or interface. */
export function queryFieldNames(typeName: string): { single: string; collection: string } {
  const single = toCamelCase(typeName);
  let collection = toCamelCase(toPlural(typeName));
  if (collection === single) collection = `${collection}_collection`;
  return { single, collection };
}
