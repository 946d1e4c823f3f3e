/**
 * How each SIP profile keeps registrations, read from the switch rather than assumed.
 *
 * mod_sofia keeps one registration per user unless the profile says otherwise
 * (sofia.c, profile settings): `multiple-registrations` `call-id` keeps one per SIP
 * Call-ID (PFLAG_MULTIREG); `contact` or any true value one per Contact
 * (PFLAG_MULTIREG + PFLAG_MULTIREG_CONTACT); a false value, or no such param, one per
 * user; `manage-shared-appearance` true also sets PFLAG_MULTIREG. Params are applied in
 * order, so the last one wins. `sofia xmlstatus profile <name>` does not show the
 * setting (mod_sofia.c cmd_xml_status), so polylink reads the profiles from the
 * configuration the switch loaded: `xml_locate configuration configuration name
 * sofia.conf` (mod_commands.c xml_locate_function), with X-PRE-PROCESS includes and
 * $${…} already expanded.
 */
import { XMLParser } from 'fast-xml-parser';
import { type Result, fail, ok } from '../../esl/result.js';

/** per-user: a REGISTER replaces the user's registration, an Expires: 0 removes it whatever its Call-ID. */
export type RegistrationRule = 'per-user' | 'per-call-id' | 'per-contact';

/** FreeSWITCH's default: no multiple-registrations param. */
export const DEFAULT_RULE: RegistrationRule = 'per-user';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  ignoreDeclaration: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  isArray: (name) => name === 'profile' || name === 'param',
});

/** FreeSWITCH's switch_true: yes, on, true, t, enabled, active, allow, or a non-zero number. */
function switchTrue(value: string): boolean {
  const v = value.toLowerCase();
  return ['yes', 'on', 'true', 't', 'enabled', 'active', 'allow'].includes(v) || (/^\d+$/.test(v) && Number(v) !== 0);
}

/** One profile's rule from its `<settings>` params, in order, as sofia.c applies them. */
export function ruleOf(params: ReadonlyArray<{ readonly name: string; readonly value: string }>): RegistrationRule {
  let multi = false;
  let byContact = false;
  for (const { name, value } of params) {
    const n = name.toLowerCase();
    if (n === 'multiple-registrations') {
      if (value.toLowerCase() === 'call-id') multi = true;
      else if (value.toLowerCase() === 'contact' || switchTrue(value)) [multi, byContact] = [true, true];
      else [multi, byContact] = [false, false];
    } else if (n === 'manage-shared-appearance' && switchTrue(value)) {
      multi = true;
    }
  }
  if (!multi) return 'per-user';
  return byContact ? 'per-contact' : 'per-call-id';
}

interface XmlParam {
  readonly name?: unknown;
  readonly value?: unknown;
}

interface XmlProfile {
  readonly name?: unknown;
  readonly settings?: { readonly param?: ReadonlyArray<XmlParam> } | string;
}

/** The reply of `xml_locate configuration configuration name sofia.conf` → profile name → rule. */
export function parseRegistrationRules(reply: string): Result<Map<string, RegistrationRule>, string> {
  const text = reply.trim();
  if (!text.startsWith('<')) return fail(text.slice(0, 120) || 'empty reply');
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (err) {
    return fail(`unreadable XML: ${(err as Error).message}`);
  }
  const configuration = (doc as { configuration?: { profiles?: { profile?: ReadonlyArray<XmlProfile> } | string } }).configuration;
  if (configuration === undefined) return fail('no <configuration> in the reply');
  const profiles = typeof configuration.profiles === 'object' ? (configuration.profiles.profile ?? []) : [];
  const rules = new Map<string, RegistrationRule>();
  for (const profile of profiles) {
    if (typeof profile.name !== 'string' || profile.name === '') continue;
    const params = typeof profile.settings === 'object' ? (profile.settings.param ?? []) : [];
    const pairs = params.flatMap((p) => (typeof p.name === 'string' ? [{ name: p.name, value: typeof p.value === 'string' ? p.value : '' }] : []));
    rules.set(profile.name, ruleOf(pairs));
  }
  return ok(rules);
}
