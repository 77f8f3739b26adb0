/**
 * THE rule for API access: a user may use personal API keys unless one of their groups (Everyone
 * included) has API access turned off. It binds admins too: an admin who wants the API back turns
 * the setting on again.
 */
export function apiAccessAllowed(rules: { apiAccess: boolean }[]): boolean {
  return rules.every((rule) => rule.apiAccess);
}
