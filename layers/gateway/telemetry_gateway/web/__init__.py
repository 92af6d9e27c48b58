"""The function kit shared by every API family: requests, responses, failure answers, one function shape."""
