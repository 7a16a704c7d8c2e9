# The GraphQL service. Neo4j runs in its own container (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY mdskg ./mdskg
COPY mdskg_cli ./mdskg_cli
COPY graph ./graph
COPY etl ./etl
COPY service ./service
COPY ontology ./ontology
RUN pip install . && python -m service.web.assets
RUN useradd --create-home mdskg
USER mdskg
EXPOSE 8000
CMD ["mdskg", "serve", "--host", "0.0.0.0", "--port", "8000"]
