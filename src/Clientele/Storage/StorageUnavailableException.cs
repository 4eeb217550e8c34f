namespace Clientele.Storage;

/// <summary>
/// The storage cannot make a write durable (its file is gone or replaced, read-only, full, or out of reach), so the
/// request wrote nothing; the error seam answers 503.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
