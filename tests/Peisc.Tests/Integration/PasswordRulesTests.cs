using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Data;

namespace Peisc.Tests.Integration;

// trust.md S2: 12 characters or more, 64 and beyond accepted, no composition rules, common passwords refused.
public sealed class PasswordRulesTests
{
    [Theory]
    [InlineData("abcdefghijk", false)]
    [InlineData("abcdefghijkm", true)]
    [InlineData("all lower case words here", true)]
    [InlineData("password1234", false)]
    [InlineData("qwertyuiopas", false)]
    [InlineData("aaaaaaaaaaaaaaaa", false)]
    public async Task CreateAccount_Password_IsAcceptedOnlyWhenLongAndUncommon(
        string password,
        bool accepted
    )
    {
        await using var app = new TestApp(Db.Sqlite);
        Assert.Equal(accepted, await TryCreateAsync(app, password));
    }

    [Fact]
    public async Task CreateAccount_VeryLongPassphrase_IsAccepted()
    {
        await using var app = new TestApp(Db.Sqlite);
        Assert.True(
            await TryCreateAsync(
                app,
                string.Join(' ', Enumerable.Repeat("correct horse battery staple", 8))
            )
        );
    }

    private static async Task<bool> TryCreateAsync(TestApp app, string password)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"{Guid.NewGuid():N}@example.org";
        var result = await users.CreateAsync(
            new AppUser
            {
                Id = Guid.NewGuid(),
                UserName = email,
                Email = email,
                DisplayName = "Pat",
                CreatedAt = DateTime.UtcNow,
            },
            password
        );
        return result.Succeeded;
    }
}
