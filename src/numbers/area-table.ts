/**
 * Where a number is from: a prefix table (area code → province, city) with a
 * longest-prefix lookup. Fixed-line area codes of mainland China ship with polylink
 * (resources/areas/cn-fixed-line.tsv); a mobile-prefix table (号段, the first 7 digits
 * of a mobile number) can be loaded from a file of the same shape.
 */

export interface Area {
  /** The prefix that matched (the area code for fixed lines). */
  readonly id: string;
  readonly province: string;
  readonly city: string;
}

export class AreaTable {
  private readonly byPrefix = new Map<string, Area>();
  private maxLength = 0;

  /** Lines of `prefix<TAB>province<TAB>city`; `#` comments and a header line are skipped. */
  static parse(text: string, source: string): AreaTable {
    const table = new AreaTable();
    text.split('\n').forEach((line, i) => {
      const trimmed = line.replace(/\r$/, '');
      if (trimmed === '' || trimmed.startsWith('#') || /^[A-Za-z_]/.test(trimmed)) return;
      const [prefix, province, city] = trimmed.split('\t');
      if (prefix === undefined || !/^\d{2,8}$/.test(prefix) || province === undefined || province === '') {
        throw new Error(`${source}:${i + 1}: expected "prefix<TAB>province<TAB>city"`);
      }
      table.add({ id: prefix, province, city: city ?? '' });
    });
    return table;
  }

  add(area: Area): void {
    this.byPrefix.set(area.id, area);
    this.maxLength = Math.max(this.maxLength, area.id.length);
  }

  get size(): number {
    return this.byPrefix.size;
  }

  /** The area of the longest prefix of `digits` in the table. */
  lookup(digits: string): Area | undefined {
    for (let len = Math.min(this.maxLength, digits.length); len >= 2; len--) {
      const area = this.byPrefix.get(digits.slice(0, len));
      if (area !== undefined) return area;
    }
    return undefined;
  }
}

/** The seed's area_name: province and city joined by "-" (江苏-苏州), or the province alone. */
export function areaName(area: Area): string {
  return area.city === '' ? area.province : `${area.province}-${area.city}`;
}
