"""Request wiring both faces share: who asks, what they may see, and the application's services.

``api/`` (JSON) and ``web/`` (pages) take authentication, visibility and the per-application
service handles from here, so neither face imports the other.
"""
