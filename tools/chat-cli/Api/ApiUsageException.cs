namespace ChatPlatform.Cli.Api;

/// <summary>A <c>chat api</c> command cannot be carried out as given; the message says why.</summary>
internal sealed class ApiUsageException(string message) : Exception(message);
