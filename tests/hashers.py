from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Still Argon2, with the smallest cost: the suite signs in hundreds of times."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1
