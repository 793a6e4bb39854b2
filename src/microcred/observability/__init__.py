"""Operating microcred: health and readiness, Prometheus metrics, structured logs, checks.

`installation.install_observability` adds the endpoints and the request middleware to the app;
`metrics` holds the counters any layer may update (it imports nothing of microcred, and this
package's ``__init__`` imports nothing either, so counting never pulls in the web layer).
"""
