"""Code every claimwatch service shares: Kafka settings, the embedded broker, topic admin."""
