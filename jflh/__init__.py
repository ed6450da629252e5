"""jflh — batch scoring and ranking for Beijing's points-based household registration."""
