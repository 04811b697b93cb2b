/**
 * Amounts in Vietnamese words, as a receipt writes them ("Bằng chữ"): Decree 254/2026 Art. 23
 * asks for the amount in figures and in words. Our own small function (tested in its spec) rather
 * than a dependency: the rules fit in a page and are the ones the Ministry of Finance's samples use
 * ("linh" for a zero ten, "mốt" and "lăm" after a ten, "không trăm" inside a number, "tỷ" repeated
 * past a thousand billion).
 */
const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
const SCALES = ['', 'nghìn', 'triệu'];

/** One group of three digits; `full` when a higher group precedes it (then "không trăm", "linh" are said). */
function group(n: number, full: boolean): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const out: string[] = [];
  if (h > 0 || full) out.push(DIGITS[h], 'trăm');
  if (t === 0) {
    if (u > 0 && out.length) out.push('linh');
  } else if (t === 1) {
    out.push('mười');
  } else {
    out.push(DIGITS[t], 'mươi');
  }
  if (u > 0) {
    if (u === 1 && t >= 2) out.push('mốt');
    else if (u === 5 && t >= 1) out.push('lăm');
    else out.push(DIGITS[u]);
  }
  return out;
}

/** A non-negative whole number in Vietnamese words, lower case ("một trăm năm mươi nghìn"). */
export function numberToVietnameseWords(value: number | bigint): string {
  let n = BigInt(value);
  if (n < 0n) throw new RangeError('a negative amount has no words on a receipt');
  if (n === 0n) return DIGITS[0];
  // Groups of three digits, lowest first.
  const groups: number[] = [];
  while (n > 0n) {
    groups.push(Number(n % 1000n));
    n /= 1000n;
  }
  // Blocks of three groups (up to "triệu"), each followed by "tỷ" once per block above the first.
  const words: string[] = [];
  for (let b = Math.floor((groups.length - 1) / 3); b >= 0; b--) {
    const before = words.length;
    for (let p = 2; p >= 0; p--) {
      const g = groups[b * 3 + p] ?? 0;
      if (g === 0) continue;
      words.push(...group(g, words.length > 0));
      if (SCALES[p]) words.push(SCALES[p]);
    }
    if (words.length > before) for (let k = 0; k < b; k++) words.push('tỷ');
  }
  return words.join(' ');
}

/** The amount as a receipt's "Bằng chữ" line: capitalised, with the currency ("Một trăm nghìn đồng"). */
export function amountInWords(vnd: number | bigint): string {
  const w = numberToVietnameseWords(vnd);
  return `${w.charAt(0).toUpperCase()}${w.slice(1)} đồng`;
}

/** 150000 → "150.000" (Vietnamese grouping with dots). */
export function formatVnd(vnd: number | bigint): string {
  return BigInt(vnd)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
