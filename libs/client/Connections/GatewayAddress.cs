namespace ChatPlatform.Client.Connections;

/// <summary>The address a connection attempt goes to.</summary>
internal static class GatewayAddress
{
    /// <summary><paramref name="url"/> with <c>user=NAME</c> added to its query when connecting as a development user.</summary>
    public static Uri For(Uri url, string? user)
    {
        if (user is null)
        {
            return url;
        }

        var builder = new UriBuilder(url);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length == 0 ? "" : query + "&") + "user=" + Uri.EscapeDataString(user);
        return builder.Uri;
    }
}
