/**
 * What each attack costs polylink's codec, on its own thread, with nothing else
 * running: decode() as it is now (the prescan, then the validator and the parser only
 * for what the prescan lets through), against fast-xml-parser's validator and parser
 * over the whole message, which is what every message went through before the prescan.
 * Oversize messages never reach a codec (the framer and ws refuse them first).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { jsonCodec } from '../../src/protocol/json-codec.js';
import { xmlCodec, XML_PARSER_OPTIONS } from '../../src/protocol/xml-codec.js';
import { JSON_ATTACKS, XML_ATTACKS } from '../../test/helpers/attack-payloads.js';
import { summarize, type Summary } from '../acd/stats.js';

export interface DecodeTime {
  readonly name: string;
  readonly bytes: number;
  /** decode() now, ms. */
  readonly now: Summary;
  /** fast-xml-parser's validator + parser over the whole text, ms (XML only). */
  readonly parserAlone: Summary | undefined;
  /** The detail decode() gave. */
  readonly refusedFor: string;
}

const WARM_UP = 20;
const RUNS = 50;

function time(run: () => void): Summary {
  for (let i = 0; i < WARM_UP; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return summarize(samples)!;
}

export function decodeTimes(): DecodeTime[] {
  const parser = new XMLParser(XML_PARSER_OPTIONS);
  const out: DecodeTime[] = [];
  for (const [codec, attacks] of [[xmlCodec, XML_ATTACKS], [jsonCodec, JSON_ATTACKS]] as const) {
    for (const a of attacks) {
      if (a.oversize) continue;
      const result = codec.decode(a.text);
      const parserAlone =
        codec === xmlCodec
          ? time(() => {
              // The validator stops at the first error; the parser ran when it found none (and may throw).
              if (XMLValidator.validate(a.text, { allowBooleanAttributes: false }) !== true) return;
              try {
                parser.parse(a.text);
              } catch {
                // refused: what it cost is what is timed
              }
            })
          : undefined;
      out.push({
        name: a.name,
        bytes: Buffer.byteLength(a.text),
        now: time(() => codec.decode(a.text)),
        parserAlone,
        refusedFor: result.ok ? 'accepted' : result.error.detail,
      });
    }
  }
  return out;
}
