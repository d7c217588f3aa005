using ChatPlatform.Gateway.History;

namespace ChatPlatform.Gateway.Tests.History;

public sealed class SessionTokenTests
{
    [Fact]
    public void A_new_token_reads_back_and_matches_only_its_own_hash()
    {
        var token = SessionToken.New("0123456789abcdef");
        var other = SessionToken.New("0123456789abcdef");

        var parsed = SessionToken.Parse(token.ToString());

        Assert.Equal(token, parsed);
        Assert.StartsWith("0123456789abcdef.", token.ToString());
        Assert.True(parsed!.Matches(token.KeyHash()));
        Assert.False(parsed.Matches(other.KeyHash()));
        Assert.DoesNotContain(token.Secret, token.KeyHash());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nonsense")]
    [InlineData("0123456789abcdef")]
    [InlineData("0123456789ABCDEF.AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcde.AAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAA!A")]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAA.")]
    public void Anything_else_is_no_token(string? value)
    {
        Assert.Null(SessionToken.Parse(value));
    }
}
