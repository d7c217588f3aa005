namespace ChatPlatform.Testing;

public static class Names
{
    /// <summary>A user name no other test uses, e.g. <c>alice-3f9a1c2b</c>.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
