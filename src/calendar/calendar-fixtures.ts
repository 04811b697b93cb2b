/** An instant from a Vietnam local time, 'YYYY-MM-DD HH:MM' (for tests and the benchmark). */
export const vn = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+07:00`);
