def seed(say):
    return 0
