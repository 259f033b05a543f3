"""Git hosting: smart HTTP through git http-backend, the Git LFS API and its object stores."""
