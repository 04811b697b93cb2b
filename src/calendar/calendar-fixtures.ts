/** An instant from a Vietnam local time, 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD HH:MM:SS' (for tests and the benchmark). */
export const vn = (local: string): Date => new Date(`${local.replace(' ', 'T')}${local.length === 16 ? ':00' : ''}+07:00`);
