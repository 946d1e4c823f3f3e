import { describe, expect, it } from 'vitest';
import { AreaTable } from '../../../src/numbers/area-table.js';
import { createNumberDirectory } from '../../../src/numbers/customer-number.js';
import { loadNumberDirectory } from '../../../src/numbers/load-number-directory.js';
import { decodeMakeStr, encodeMakeStr } from '../../../src/numbers/make-str.js';

const numbers = loadNumberDirectory({ country: 'CN', mobilePrefixFile: null });

describe('customer numbers', () => {
  it('a Suzhou fixed line: local, national, E.164, type and area', () => {
    expect(numbers.describe('051287654321')).toEqual({
      local: '87654321',
      national: '051287654321',
      e164: '+8651287654321',
      phoneType: 'fixed_line',
      areaId: '0512',
      areaName: '江苏-苏州',
    });
  });

  it('Beijing and Shanghai have no city part', () => {
    expect(numbers.describe('01087654321')).toMatchObject({ local: '87654321', areaId: '010', areaName: '北京' });
    expect(numbers.describe('+862161234567')).toMatchObject({ national: '02161234567', areaName: '上海' });
  });

  it('a mobile number: its area comes from a mobile-prefix table when one is loaded', () => {
    expect(numbers.describe('13800138000')).toMatchObject({ local: '13800138000', national: '13800138000', e164: '+8613800138000', phoneType: 'mobile', areaId: '' });
    const mobile = AreaTable.parse('# 号段\nprefix\tprovince\tcity\n1380013\t北京\t\n1391234\t广东\t深圳\n', 'test');
    const withMobile = createNumberDirectory({ country: 'CN', fixedLine: new AreaTable(), mobile });
    expect(withMobile.describe('13912345678')).toMatchObject({ areaId: '1391234', areaName: '广东-深圳' });
  });

  it('a finer 8-digit mobile prefix wins over its 7-digit 号段', () => {
    const mobile = AreaTable.parse('1391234\t广东\t深圳\n13912345\t广东\t东莞\n', 'test');
    const withMobile = createNumberDirectory({ country: 'CN', fixedLine: new AreaTable(), mobile });
    expect(withMobile.describe('13912345678')).toMatchObject({ areaId: '13912345', areaName: '广东-东莞' });
    expect(withMobile.describe('13912340000')).toMatchObject({ areaId: '1391234', areaName: '广东-深圳' });
  });

  it('keeps what it cannot parse as it is', () => {
    expect(numbers.describe('95588')).toEqual({ local: '95588', national: '95588', e164: '', phoneType: 'unknown', areaId: '', areaName: '' });
    expect(numbers.describe('8001')).toMatchObject({ local: '8001', phoneType: 'unknown' });
  });

  it('ships the area codes of the provinces, up to date', async () => {
    const { readFileSync } = await import('node:fs');
    const { shippedFixedLineTable } = await import('../../../src/numbers/load-number-directory.js');
    const table = AreaTable.parse(readFileSync(shippedFixedLineTable(), 'utf8'), 'shipped');
    expect(table.size).toBeGreaterThan(320);
    const cases: [string, string][] = [['025', '江苏-南京'], ['0571', '浙江-杭州'], ['0898', '海南'], ['0991', '新疆-乌鲁木齐'], ['0891', '西藏-拉萨'], ['0710', '湖北-襄阳']];
    for (const [code, name] of cases) {
      const area = table.lookup(`${code}1234567`);
      expect(area && `${area.province}${area.city === '' ? '' : '-' + area.city}`).toBe(name);
    }
  });

  it('refuses a malformed table line', () => {
    expect(() => AreaTable.parse('0512 江苏 苏州\n', 'bad.tsv')).toThrow('bad.tsv:1');
  });
});

describe('makeStr', () => {
  it('is key=value# pairs, with #, = and % escaped', () => {
    const text = encodeMakeStr([
      ['customer_num', '13800138000'],
      ['access_num_name', 'Sales #1 = best 100%'],
    ]);
    expect(text).toBe('customer_num=13800138000#access_num_name=Sales %231 %3D best 100%25#');
    expect(decodeMakeStr(text).get('access_num_name')).toBe('Sales #1 = best 100%');
  });
});
