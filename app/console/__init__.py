"""The staff console: server-rendered pages under /console over the domains' own services.

It sits above every domain in the import graph (like app.privacy and app.demo): it calls the
services the API calls — the same permission rules, caps, locks and audit records — and owns no
SQL of its own. See docs/console.md.
"""
