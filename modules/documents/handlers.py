"""Bus handler (named in the manifest): another tenant's 发文 arrives and is registered as 收文."""


def on_dispatched(message):
    from modules.documents.incoming import receive

    receive(message)
