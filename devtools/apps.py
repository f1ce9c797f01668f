from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Benchmarks, the load test, the corpus generator and the profiler: development only,
    installed by the dev and test settings (and the benchmark's gunicorn), never production."""

    name = "devtools"
    verbose_name = "Development tools"
