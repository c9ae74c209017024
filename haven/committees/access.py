"""Who does what with committees. The rules, stated once (the querysets in models.py apply them):

- Committees, their members and meetings are read by every role that works with survivors and by the
  organisation administrator, who sets committees up. Roles that see no survivor data (data, programme
  and perpetrator-programme officers, computer operators, fundraisers) do not see committees at all:
  a committee's whole purpose is individual women's cases.
- They are run (created, changed, members added, meetings scheduled or cancelled, decisions and actions
  recorded, actions closed) by centre managers, caseworkers and the organisation administrator.
- Minutes can name people, and cases tabled are women's files: both are for roles that work with
  survivors only. So the administrator runs the committee but does not read its minutes or its cases;
  minutes are written, and cases tabled, by centre managers and caseworkers (`MINUTE_TAKERS`,
  `TABLERS`), and tabling a case also needs the case's own access rule to let the person see it.
- A tabled case shows as her survivor code to every role that works with survivors, also to staff who
  are not on her case team: the committee discusses it, so the organisation's staff who follow the
  committee must know which case is meant. The code opens nothing by itself; her file stays behind the
  case rule. Her name is shown only while a valid release (signed, not revoked, not expired, covering her
  identity) names the committee's directory entry as its recipient, and each showing is audited.
"""

from __future__ import annotations

from haven.orgs.roles import Role

SURVIVOR_WORK: frozenset[Role] = Role.working_with_survivors()
VIEWERS: frozenset[Role] = SURVIVOR_WORK | {Role.ORG_ADMIN}
RUNNERS: frozenset[Role] = frozenset({Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.CASEWORKER})
MINUTE_TAKERS: frozenset[Role] = RUNNERS & SURVIVOR_WORK
TABLERS: frozenset[Role] = MINUTE_TAKERS
