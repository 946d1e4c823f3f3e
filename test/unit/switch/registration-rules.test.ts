import { describe, expect, it } from 'vitest';
import { parseRegistrationRules, ruleOf } from '../../../src/switch/freeswitch/registration-rules.js';

/** What `xml_locate configuration configuration name sofia.conf` prints: the configuration as loaded, includes expanded. */
const SOFIA_CONF = `<configuration name="sofia.conf" description="sofia Endpoint">
  <global_settings>
    <param name="log-level" value="0"/>
  </global_settings>
  <profiles>
    <profile name="external">
      <gateways><gateway name="trunk"><param name="proxy" value="192.0.2.10"/></gateway></gateways>
      <settings>
        <param name="context" value="public"/>
      </settings>
    </profile>
    <profile name="internal">
      <domains><domain name="all" alias="true" parse="false"/></domains>
      <settings>
        <param name="context" value="public"/>
        <param name="auth-calls" value="true"/>
        <param name="force-register-domain" value="192.0.2.2"/>
      </settings>
    </profile>
    <profile name="softphones">
      <settings>
        <param name="multiple-registrations" value="contact"/>
      </settings>
    </profile>
    <profile name="desks">
      <settings><param name="multiple-registrations" value="call-id"/></settings>
    </profile>
  </profiles>
</configuration>`;

describe('registration rules from the switch configuration', () => {
  it('reads each profile: no multiple-registrations is one per user (freeswitch-conf), contact and call-id as sofia.c reads them', () => {
    const rules = parseRegistrationRules(SOFIA_CONF);
    expect(rules.ok && Object.fromEntries(rules.value)).toEqual({
      external: 'per-user',
      internal: 'per-user',
      softphones: 'per-contact',
      desks: 'per-call-id',
    });
  });

  it('follows sofia.c: true means per contact, false clears, the last param wins, manage-shared-appearance allows several', () => {
    const p = (...pairs: Array<[string, string]>) => ruleOf(pairs.map(([name, value]) => ({ name, value })));
    expect(p(['multiple-registrations', 'true'])).toBe('per-contact');
    expect(p(['multiple-registrations', 'yes'])).toBe('per-contact');
    expect(p(['multiple-registrations', 'false'])).toBe('per-user');
    expect(p(['multiple-registrations', 'contact'], ['multiple-registrations', 'false'])).toBe('per-user');
    expect(p(['manage-shared-appearance', 'true'])).toBe('per-call-id');
    expect(p()).toBe('per-user');
  });

  it('refuses what is not the configuration: an -ERR, "can\'t find anything", broken XML', () => {
    expect(parseRegistrationRules('-ERR xml_locate Command not found!\n').ok).toBe(false);
    expect(parseRegistrationRules("can't find anything\n").ok).toBe(false);
    expect(parseRegistrationRules('<document><section/></document>').ok).toBe(false);
    expect(parseRegistrationRules('<configuration name="sofia.conf"><profiles></profiles></configuration>')).toEqual({ ok: true, value: new Map() });
  });
});
