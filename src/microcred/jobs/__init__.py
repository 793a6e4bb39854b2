"""Running long work as jobs: persistent progress, chunked, resumable; in-process or on Celery."""
