/**
 * Vietnamese text as people type it into a search box: with or without diacritics, any case.
 * Search columns store the folded form and queries are folded the same way, so "dang ky khai sinh"
 * finds "Thủ tục đăng ký khai sinh" without a PostgreSQL extension (unaccent is not available on
 * every managed database).
 */
export function foldVietnamese(text: string): string {
  return (
    text
      // Decomposing separates the tone and vowel marks (combining characters) from the letters.
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      // đ is a letter of its own, not d with a mark, so NFD leaves it alone.
      .replace(/[đĐ]/g, 'd')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The distinct folded words of a query; every one of them must match. */
export function searchWords(query: string): string[] {
  return [
    ...new Set(
      foldVietnamese(query)
        .split(' ')
        .filter((w) => w.length > 0),
    ),
  ];
}

/** A LIKE pattern matching `word` anywhere, with LIKE's own wildcards taken literally. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
