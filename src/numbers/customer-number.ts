/**
 * A customer number as CallInEvent / CallOutRingEvent describe it (seed 002 makeStr):
 * local, national and E.164 forms, fixed line or mobile, and where it is from. The
 * number itself is never changed: what the customer dialled from is what is shown.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { areaName, type AreaTable } from './area-table.js';

export interface CustomerNumberInfo {
  readonly local: string;
  readonly national: string;
  readonly e164: string;
  /** fixed_line, mobile, fixed_line_or_mobile, toll_free, shared_cost, … or unknown. */
  readonly phoneType: string;
  readonly areaId: string;
  readonly areaName: string;
}

export interface NumberDirectory {
  describe(number: string): CustomerNumberInfo;
}

/**
 * How many numbers' descriptions are kept. A call describes its customer several times
 * (each offer's CallInEvent, consults and transfers, its CDR) and libphonenumber-js's parse
 * is the cost of each; the numbers of the calls up now and of recent callers stay, the
 * least recently used go first, so memory stays bounded however many numbers call.
 */
const KEPT = 8192;

interface DirectoryOptions {
  readonly country: CountryCode;
  readonly fixedLine: AreaTable;
  readonly mobile?: AreaTable;
}

export function createNumberDirectory(options: DirectoryOptions): NumberDirectory {
  const kept = new Map<string, CustomerNumberInfo>();
  return {
    describe(number: string): CustomerNumberInfo {
      let info = kept.get(number);
      if (info !== undefined) {
        // Most recently used last: the Map's order is the eviction order.
        kept.delete(number);
      } else {
        info = describeNumber(number, options);
        if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
      }
      kept.set(number, info);
      return info;
    },
  };
}

function describeNumber(number: string, options: DirectoryOptions): CustomerNumberInfo {
  const parsed = /^\+?\d{3,32}$/.test(number) ? parsePhoneNumberFromString(number, options.country) : undefined;
  if (parsed === undefined || !parsed.isValid()) {
    // An extension, a service number (95588) or something unparseable: shown as it is.
    return { local: number, national: number, e164: '', phoneType: 'unknown', areaId: '', areaName: '' };
  }
  const type = (parsed.getType() ?? 'unknown').toLowerCase();
  const significant = parsed.nationalNumber;
  const trunkPrefix = parsed.country === 'CN' ? '0' : '';
  let local = significant;
  let national = significant;
  let area = undefined;
  if (parsed.country === 'CN' && type === 'mobile') {
    // Longest prefix: tables of 7-digit 号段 and finer 8-digit ones both match.
    area = options.mobile?.lookup(significant);
  } else if (parsed.country === 'CN') {
    national = trunkPrefix + significant;
    area = options.fixedLine.lookup(national);
    if (area !== undefined) local = national.slice(area.id.length);
  } else {
    national = parsed.formatNational().replace(/[^\d]/g, '');
  }
  return {
    local,
    national,
    e164: parsed.format('E.164'),
    phoneType: type,
    areaId: area?.id ?? '',
    areaName: area === undefined ? '' : areaName(area),
  };
}
