"""What one user may do in what time: rate limits and quotas."""
