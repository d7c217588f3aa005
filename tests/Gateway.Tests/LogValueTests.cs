namespace ChatPlatform.Gateway.Tests;

/// <summary>Values from requests as they reach the log: nothing in them can forge, hide or recolour a line.</summary>
public sealed class LogValueTests
{
    [Theory]
    [InlineData("https://chat.example")]
    [InlineData("alice@example.com")]
    [InlineData("auth0|5f7c8ec7")]
    [InlineData("SecurityTokenExpiredException")]
    [InlineData("élève 用户 😀")]
    [InlineData("")]
    public void Printable_text_is_logged_as_it_is(string value)
    {
        Assert.Equal(value, LogValue.Escape(value));
    }

    [Fact]
    public void Null_is_logged_as_nothing()
    {
        Assert.Equal("", LogValue.Escape(null));
    }

    [Fact]
    public void A_terminal_escape_sequence_is_escaped()
    {
        Assert.Equal(@"\u001B[31mred\u001B[0m", LogValue.Escape("\u001b[31mred\u001b[0m"));
    }

    [Theory]
    [InlineData("a\nb", @"a\u000Ab")]
    [InlineData("a\r\nINFO forged", @"a\u000D\u000AINFO forged")]
    [InlineData("tab\there", @"tab\u0009here")]
    [InlineData("nul\0", @"nul\u0000")]
    [InlineData("del\u007f", @"del\u007F")]
    [InlineData("c1\u0085\u009b", @"c1\u0085\u009B")]
    [InlineData("line\u2028para\u2029", @"line\u2028para\u2029")]
    public void Control_characters_and_line_breaks_are_escaped(string value, string logged)
    {
        Assert.Equal(logged, LogValue.Escape(value));
    }

    [Theory]
    [InlineData("admin\u202egnp.exe", @"admin\u202Egnp.exe")]
    [InlineData("al\u200bice", @"al\u200Bice")]
    [InlineData("\ufeffbom", @"\uFEFFbom")]
    [InlineData("soft\u00adhyphen", @"soft\u00ADhyphen")]
    [InlineData("no\u00a0break", @"no\u00A0break")]
    [InlineData("private\ue000use", @"private\uE000use")]
    public void Invisible_direction_changing_and_unusual_space_characters_are_escaped(string value, string logged)
    {
        Assert.Equal(logged, LogValue.Escape(value));
    }

    [Fact]
    public void Characters_beyond_the_basic_plane_are_kept_when_they_show_and_escaped_when_they_do_not()
    {
        Assert.Equal("\ud83d\ude00", LogValue.Escape("\ud83d\ude00"));
        Assert.Equal(@"tag\uDB40\uDC41", LogValue.Escape("tag\U000E0041"));
    }

    [Fact]
    public void Unpaired_surrogates_are_escaped()
    {
        Assert.Equal(@"a\uD800b", LogValue.Escape("a\ud800b"));
        Assert.Equal(@"\uDC00", LogValue.Escape("\udc00"));
    }

    [Fact]
    public void A_backslash_is_doubled_so_an_escape_in_the_log_always_means_one_in_the_value()
    {
        Assert.Equal(@"\\u001B is text", LogValue.Escape(@"\u001B is text"));
        Assert.Equal(@"\\\u001B", LogValue.Escape("\\\u001b"));
    }

    [Fact]
    public void A_long_value_is_cut_short_and_says_so()
    {
        var value = new string('a', 1000);

        var logged = LogValue.Escape(value);

        Assert.Equal(new string('a', LogValue.MaxLength) + "…", logged);
        Assert.Equal(new string('a', LogValue.MaxLength), LogValue.Escape(new string('a', LogValue.MaxLength)));
    }

    [Fact]
    public void A_long_value_with_escapes_is_cut_at_the_same_length_of_input()
    {
        var value = string.Concat(Enumerable.Repeat("\u001b", 1000));

        var logged = LogValue.Escape(value);

        Assert.Equal(string.Concat(Enumerable.Repeat(@"\u001B", LogValue.MaxLength)) + "…", logged);
    }

    [Fact]
    public void A_surrogate_pair_cut_by_the_limit_is_escaped_not_left_half()
    {
        var value = new string('a', LogValue.MaxLength - 1) + "\ud83d\ude00";

        var logged = LogValue.Escape(value);

        Assert.Equal(new string('a', LogValue.MaxLength - 1) + @"\uD83D…", logged);
    }
}
