using ChatPlatform.Contracts.Registry;

namespace ChatPlatform.Contracts.Tests.Registry;

public sealed class RegistryChangeCodecTests
{
    public static TheoryData<string> Malformed => new()
    {
        "",
        "12",
        "12\n+",
        "12\n+\ngw-1",
        "12\n+\ngw-1\nc-1",
        "12\n-\ngw-1\nc-1",
        "12\nG",
        "12\nG\ngw-1\nc-1",
        "12\nG\ngw-1\nc-1\nalice",
        "12\n*\ngw-1\nc-1\nalice",
        "12\nadd\ngw-1\nc-1\nalice",
        "12\n\ngw-1\nc-1\nalice",
        "\n+\ngw-1\nc-1\nalice",
        "x\n+\ngw-1\nc-1\nalice",
        "-12\n+\ngw-1\nc-1\nalice",
        "+12\n+\ngw-1\nc-1\nalice",
        " 12\n+\ngw-1\nc-1\nalice",
        "12 \n+\ngw-1\nc-1\nalice",
        "1.5\n+\ngw-1\nc-1\nalice",
        "99999999999999999999\n+\ngw-1\nc-1\nalice",
        "12\r\n+\r\ngw-1\r\nc-1\r\nalice",
    };

    [Fact]
    public void A_connection_added_change_is_parsed()
    {
        var change = RegistryChangeCodec.Parse("12\n+\ngw-1\nc-1\nalice");

        Assert.Equal(new RegistryChange(12, RegistryChangeKind.ConnectionAdded, "gw-1", "c-1", "alice"), change);
    }

    [Fact]
    public void A_connection_removed_change_is_parsed()
    {
        var change = RegistryChangeCodec.Parse("13\n-\ngw-1\nc-1\nalice");

        Assert.Equal(new RegistryChange(13, RegistryChangeKind.ConnectionRemoved, "gw-1", "c-1", "alice"), change);
    }

    [Fact]
    public void A_gateway_removed_change_is_parsed_without_connection_or_user()
    {
        var change = RegistryChangeCodec.Parse("14\nG\ngw-1");

        Assert.Equal(new RegistryChange(14, RegistryChangeKind.GatewayRemoved, "gw-1", null, null), change);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1", 1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Sequences_over_the_whole_non_negative_range_are_parsed(string text, long sequence)
    {
        Assert.Equal(sequence, RegistryChangeCodec.Parse($"{text}\nG\ngw-1").Sequence);
    }

    [Theory]
    [InlineData("+", "al\nice")]
    [InlineData("-", "al\nice")]
    [InlineData("+", "a|b|c")]
    [InlineData("+", "\n\n")]
    [InlineData("-", "x\n+\ny")]
    public void The_user_id_is_kept_whole_whatever_it_contains(string operation, string user)
    {
        var change = RegistryChangeCodec.Parse($"7\n{operation}\ngw|1\nc-1\n{user}");

        Assert.Equal("gw|1", change.GatewayId);
        Assert.Equal("c-1", change.ConnectionId);
        Assert.Equal(user, change.UserId);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_change_is_rejected(string text)
    {
        var exception = Assert.Throws<FormatException>(() => RegistryChangeCodec.Parse(text));
        Assert.Contains("Malformed registry change", exception.Message);
    }

    [Theory]
    [InlineData("J", RegistryChangeKind.RoomJoined)]
    [InlineData("L", RegistryChangeKind.RoomLeft)]
    public void A_room_membership_change_is_parsed_with_its_room(string operation, RegistryChangeKind kind)
    {
        var change = RegistryChangeCodec.Parse($"7\n{operation}\ngw-1\nc-1\nlobby:main\nal\nice");

        Assert.Equal(new RegistryChange(7, kind, "gw-1", "c-1", "al\nice", "lobby:main"), change);
    }

    [Theory]
    [InlineData("7\nJ\ngw-1\nc-1\nlobby")]
    [InlineData("7\nL\ngw-1\nc-1")]
    [InlineData("7\nX\ngw-1\nc-1\nlobby\nalice")]
    public void A_membership_change_missing_a_field_is_rejected(string text)
    {
        Assert.Throws<FormatException>(() => RegistryChangeCodec.Parse(text));
    }
}
