using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Tests.Protocol;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("bob")]
    [InlineData("Alice_01")]
    [InlineData("a.b-c_d")]
    [InlineData("...")]
    [InlineData("3f9a0c1be2d47a85")]
    public void Letters_digits_dashes_underscores_and_dots_are_valid(string name)
    {
        Assert.True(NameRules.IsValidUser(name));
        Assert.True(NameRules.IsValidDevelopmentUser(name));
        Assert.True(NameRules.IsValidConnectionId(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("no spaces")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a\nb")]
    [InlineData("a\0")]
    [InlineData("élève")]
    [InlineData("ａｂｃ")]
    [InlineData("١٢٣")]
    [InlineData("a+b")]
    [InlineData("bob@example")]
    public void Anything_else_is_an_invalid_development_user_or_connection_id(string name)
    {
        Assert.False(NameRules.IsValidDevelopmentUser(name));
        Assert.False(NameRules.IsValidConnectionId(name));
    }

    [Theory]
    [InlineData("auth0|5f7c8ec7c33c6c004bbafe82")]
    [InlineData("alice@example.com")]
    [InlineData("google-oauth2:1234")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("élève")]
    [InlineData("用户")]
    [InlineData("a/b+c#d")]
    [InlineData("😀")]
    public void A_user_id_from_a_token_may_be_any_text_without_spaces_or_control_characters(string id)
    {
        Assert.True(NameRules.IsValidUser(id));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("no spaces")]
    [InlineData("tab\there")]
    [InlineData("a\nb")]
    [InlineData("a\0")]
    [InlineData("a\u00a0b")]
    [InlineData("a\u2028b")]
    [InlineData("\u007f")]
    public void A_user_id_with_spaces_or_control_characters_is_invalid(string id)
    {
        Assert.False(NameRules.IsValidUser(id));
    }

    [Theory]
    [InlineData("alice\u200b", "zero-width space")]
    [InlineData("al\u200cice", "zero-width non-joiner")]
    [InlineData("al\u200dice", "zero-width joiner")]
    [InlineData("\u200ealice", "left-to-right mark")]
    [InlineData("alice\u200f", "right-to-left mark")]
    [InlineData("\u202aalice", "left-to-right embedding")]
    [InlineData("\u202ealice", "right-to-left override")]
    [InlineData("alice\u2060", "word joiner")]
    [InlineData("alice\u2064", "invisible plus")]
    [InlineData("\u2066alice\u2069", "left-to-right isolate")]
    [InlineData("\u2067alice", "right-to-left isolate")]
    [InlineData("\ufeffalice", "byte-order mark")]
    [InlineData("al\u00adice", "soft hyphen")]
    [InlineData("alice\u061c", "Arabic letter mark")]
    [InlineData("alice\u180e", "Mongolian vowel separator")]
    [InlineData("alice\ufe0f", "variation selector 16")]
    [InlineData("alice\ufe00", "variation selector 1")]
    [InlineData("alice\u034f", "combining grapheme joiner")]
    [InlineData("\u3164", "Hangul filler")]
    [InlineData("alice\u115f", "Hangul choseong filler")]
    [InlineData("alice\uffa0", "halfwidth Hangul filler")]
    [InlineData("alice\u17b4", "Khmer vowel inherent")]
    public void A_user_id_with_an_invisible_or_direction_changing_character_is_invalid(string escaped, string character)
    {
        // Escaped in the data, so that test names and reports show what is inside.
        var id = System.Text.RegularExpressions.Regex.Unescape(escaped);

        Assert.False(NameRules.IsValidUser(id), character);
    }

    [Fact]
    public void A_user_id_with_an_invisible_character_beyond_the_basic_plane_is_invalid()
    {
        // Tags (used to hide text), a variation selector supplement, a shorthand format control.
        Assert.False(NameRules.IsValidUser("alice󠁁"));
        Assert.False(NameRules.IsValidUser("alice󠄀"));
        Assert.False(NameRules.IsValidUser("alice𛲠"));
        Assert.False(NameRules.IsValidUser("alice𝅳"));
    }

    [Fact]
    public void Every_format_character_is_invalid_in_a_user_id()
    {
        for (var c = 0; c <= 0x10FFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                Assert.False(NameRules.IsValidUser("a" + char.ConvertFromUtf32(c)), $"U+{c:X4}");
            }
        }
    }

    [Theory]
    [InlineData("аlice")]
    [InlineData("раураl")]
    [InlineData("ΑΒΓ")]
    [InlineData("מִשְׁתַּמֵּשׁ")]
    [InlineData("مستخدم")]
    [InlineData("e\u0301lève")]
    public void Letters_of_any_script_and_combining_marks_that_show_are_still_valid(string escaped)
    {
        // Look-alikes from other scripts (a Cyrillic а in "аlice") are not refused: telling them
        // apart is the application's part, see docs/security.md.
        Assert.True(NameRules.IsValidUser(System.Text.RegularExpressions.Regex.Unescape(escaped)));
    }

    [Fact]
    public void A_user_id_with_an_unpaired_surrogate_is_invalid()
    {
        // Not theory data: test discovery would replace the lone surrogates before the test saw them.
        Assert.False(NameRules.IsValidUser("\ud800"));
        Assert.False(NameRules.IsValidUser("x\udc00y"));
        Assert.False(NameRules.IsValidUser("\ude00\ud83d"));
        Assert.False(NameRules.IsValidUser("a\ud83d"));
        Assert.True(NameRules.IsValidUser("\ud83d\ude00"));
    }

    [Fact]
    public void Length_limits_are_128_for_user_ids_and_64_for_development_users_and_connection_ids()
    {
        Assert.Equal(128, NameRules.MaxUserLength);
        Assert.Equal(64, NameRules.MaxDevelopmentUserLength);
        Assert.Equal(64, NameRules.MaxConnectionIdLength);
        Assert.True(NameRules.IsValidUser(new string('a', 128)));
        Assert.False(NameRules.IsValidUser(new string('a', 129)));
        Assert.True(NameRules.IsValidDevelopmentUser(new string('a', 64)));
        Assert.False(NameRules.IsValidDevelopmentUser(new string('a', 65)));
        Assert.True(NameRules.IsValidConnectionId(new string('a', 64)));
        Assert.False(NameRules.IsValidConnectionId(new string('a', 65)));
    }

    [Fact]
    public void Every_ascii_character_is_judged_by_the_documented_development_set()
    {
        for (var c = '\0'; c < 128; c++)
        {
            var allowed = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.';
            var name = "x" + c + "y";

            Assert.True(allowed == NameRules.IsValidDevelopmentUser(name), $"development user with U+{(int)c:X4}");
            Assert.True(allowed == NameRules.IsValidConnectionId(name), $"connection id with U+{(int)c:X4}");
        }
    }

    [Theory]
    [InlineData("a")]
    [InlineData("lobby")]
    [InlineData("Team_01")]
    [InlineData("a.b-c_d")]
    [InlineData("team:eng")]
    [InlineData("org:team:eng.backend")]
    [InlineData(":")]
    [InlineData("::..--__")]
    public void Room_names_may_also_contain_colons(string name)
    {
        Assert.True(NameRules.IsValidRoom(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("no spaces")]
    [InlineData("a/b")]
    [InlineData("a\nb")]
    [InlineData("a\0")]
    [InlineData("salle-é")]
    [InlineData("ａｂｃ")]
    [InlineData("a+b")]
    [InlineData("#general")]
    [InlineData("a;b")]
    public void Anything_else_is_an_invalid_room_name(string name)
    {
        Assert.False(NameRules.IsValidRoom(name));
    }

    [Fact]
    public void Room_names_may_be_128_characters_but_not_129()
    {
        Assert.Equal(128, NameRules.MaxRoomLength);
        Assert.True(NameRules.IsValidRoom(new string('r', 128)));
        Assert.True(NameRules.IsValidRoom(new string(':', 128)));
        Assert.False(NameRules.IsValidRoom(new string('r', 129)));
    }

    [Fact]
    public void Every_ascii_character_is_judged_by_the_documented_room_set()
    {
        for (var c = '\0'; c < 128; c++)
        {
            var allowed = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.' or ':';

            Assert.True(allowed == NameRules.IsValidRoom("x" + c + "y"), $"room name with U+{(int)c:X4}");
        }
    }

    [Fact]
    public void Is_valid_applies_the_rule_of_each_kind()
    {
        var sixtyFive = new string('a', 65);
        var oneTwentyEight = new string('a', 128);

        Assert.True(NameRules.IsValid(TargetKind.User, "bob"));
        Assert.True(NameRules.IsValid(TargetKind.User, "a:b"));
        Assert.True(NameRules.IsValid(TargetKind.User, oneTwentyEight));
        Assert.False(NameRules.IsValid(TargetKind.User, oneTwentyEight + "a"));
        Assert.False(NameRules.IsValid(TargetKind.User, "a b"));
        Assert.True(NameRules.IsValid(TargetKind.Connection, "3f9a0c1be2d47a85"));
        Assert.False(NameRules.IsValid(TargetKind.Connection, "a:b"));
        Assert.False(NameRules.IsValid(TargetKind.Connection, sixtyFive));
        Assert.True(NameRules.IsValid(TargetKind.Room, "a:b"));
        Assert.True(NameRules.IsValid(TargetKind.Room, oneTwentyEight));
        Assert.False(NameRules.IsValid(TargetKind.Room, oneTwentyEight + "a"));
        Assert.False(NameRules.IsValid(TargetKind.Room, ""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("everyone")]
    [InlineData("true")]
    public void Nothing_is_a_valid_name_for_everyone_or_an_unknown_kind(string value)
    {
        Assert.False(NameRules.IsValid(TargetKind.Everyone, value));
        Assert.False(NameRules.IsValid((TargetKind)99, value));
    }

    [Fact]
    public void Each_rule_is_described_as_the_protocol_documents_it()
    {
        Assert.Equal("1-128 characters with no spaces, control or invisible characters", NameRules.Describe(TargetKind.User));
        Assert.Equal("1-64 letters, digits, '-', '_' or '.'", NameRules.Describe(TargetKind.Connection));
        Assert.Equal("1-128 letters, digits, '-', '_', '.' or ':'", NameRules.Describe(TargetKind.Room));
    }
}
