"""microcred as an LTI 1.3 Advantage tool: platforms, launches, deep linking, roster and grades.

A platform (Moodle, Canvas, ...) is registered per institution (`platforms`); it starts a
launch with an OIDC login (`launch.start_login`) and posts a signed ID token (`launch.verify`);
a deep-linking launch lets an instructor link a micro-credential to the course with an award
rule (`deep_linking`); a sync reads the course's roster (NRPS) and results (AGS) with a token
the tool asks for itself (`services_client`) and says who has earned it (`sync`).
"""
