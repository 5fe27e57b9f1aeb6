"""What a written workload is judged against: the Pod Security Standards, the API server's own
checks, scanner waivers, and the guard that applies them to every write."""
