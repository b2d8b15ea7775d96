using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Peisc.Web.Data;

namespace Peisc.Web.Accounts;

/// <summary>Refuses passwords found on a list of commonly used ones (trust.md S2).</summary>
public sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public Task<IdentityResult> ValidateAsync(
        UserManager<AppUser> manager,
        AppUser user,
        string? password
    )
    {
        if (password is null)
        {
            return Task.FromResult(IdentityResult.Success);
        }
        var lowered = password.Trim().ToLowerInvariant();
        var isCommon =
            Common.Value.Contains(lowered)
            || string.Equals(lowered, user.Email, StringComparison.OrdinalIgnoreCase)
            || lowered.Distinct().Count() == 1;
        return Task.FromResult(
            isCommon
                ? IdentityResult.Failed(
                    new IdentityError
                    {
                        Code = "CommonPassword",
                        Description =
                            "Choose a password that is harder to guess: this one is too common",
                    }
                )
                : IdentityResult.Success
        );
    }

    private static HashSet<string> Load()
    {
        using var stream = Assembly
            .GetExecutingAssembly()
            .GetManifestResourceStream("Peisc.Web.Accounts.common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.Trim().ToLowerInvariant());
            }
        }
        return set;
    }
}

/// <summary>Identity's messages, reworded in GOV.UK style.</summary>
public sealed class GovukIdentityErrorDescriber : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        new()
        {
            Code = nameof(PasswordTooShort),
            Description = $"Password must be {length} characters or more",
        };

    public override IdentityError DuplicateEmail(string email) =>
        new()
        {
            Code = nameof(DuplicateEmail),
            Description = "An account with this email address already exists: sign in instead",
        };

    public override IdentityError DuplicateUserName(string userName) =>
        new()
        {
            Code = nameof(DuplicateUserName),
            Description = "An account with this email address already exists: sign in instead",
        };

    public override IdentityError InvalidEmail(string? email) =>
        new()
        {
            Code = nameof(InvalidEmail),
            Description = "Enter an email address in the correct format, like name@example.org",
        };
}
