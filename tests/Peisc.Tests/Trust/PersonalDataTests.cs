using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Peisc.Tests.Infrastructure;
using Peisc.Web.Accounts;
using Peisc.Web.Data;
using Peisc.Web.LivedExperience;
using Peisc.Web.Reviews;

namespace Peisc.Tests.Trust;

// trust.md R6 (UK GDPR articles 15, 17 and 20): a person's data exported, machine-readable, by
// themselves; erased by the operator at their request, after which no column of any table holds it.
public sealed class PersonalDataTests
{
    private const string Item = "human-rights.process.1";

    private sealed record Person(
        TestOrganisation Org,
        TestUser User,
        Review Review,
        string TeamText,
        string OwnText,
        string CommentText,
        string TotpKey,
        string Token,
        string PasswordHash,
        string SecurityStamp
    );

    // A person with a name and email found nowhere else, who has done a bit of everything.
    private static async Task<Person> BusyPersonAsync(TestApp app, bool twoFactor = true)
    {
        var org = await app.CreateOrganisationAsync(
            roles: [MemberRole.Owner, MemberRole.Facilitator, MemberRole.Viewer]
        );
        var unique = Guid.NewGuid().ToString("N")[..10];
        var user = await app.AddMemberAsync(
            org.Id,
            MemberRole.Contributor,
            $"robin.{unique}@example.org",
            $"Robin Erasable{unique}"
        );
        var members = org.Members.ToDictionary();
        members[MemberRole.Contributor] = user;
        org = org with { Members = members };
        var review = await app.CreateReviewAsync(org);
        var teamText = "TEAM-TEXT-" + unique;
        var ownText = "OWN-TEXT-" + unique;
        var commentText = "COMMENT-TEXT-" + unique;
        await app.AnswerAsync(org, review.Id, Item, Position.Concern, teamText);
        await app.AsMemberAsync(
            org,
            user,
            async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var deliberation = sp.GetRequiredService<DeliberationService>();
                var round = await db.Rounds.SingleAsync(r => r.Id == review.CurrentRoundId);
                var cell = ReviewData.Peisc.AllCells.Single(c => c.Items.Any(i => i.Id == Item));
                await deliberation.OpenAsync(review, round, [cell]);
                var reflection = await db.Reflections.SingleAsync(r => r.CellId == cell.Id);
                await deliberation.SaveViewAsync(
                    review,
                    reflection,
                    cell.Items.Single(i => i.Id == Item),
                    new DeliberationService.ViewInput(Position.Concern, ownText, ownText, true)
                );
                await deliberation.AddCommentAsync(
                    review,
                    cell.Items.Single(i => i.Id == Item),
                    commentText,
                    []
                );
                return 0;
            }
        );
        var token = await app.CreateAccessTokenAsync(org, user);
        var client = await app.SignedInAsync(user);
        await (await client.GetAsync("/reviews")).Content.ReadAsStringAsync();
        var failed = app.Browser();
        var signIn = await failed.GetPageAsync("/account/sign-in");
        await failed.SubmitAsync(
            signIn,
            new Dictionary<string, string>
            {
                ["Input.Email"] = user.Email.ToUpperInvariant(),
                ["Input.Password"] = "not the right password at all",
            }
        );
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var account = (await users.FindByIdAsync(user.Id.ToString()))!;
        await users.ResetAuthenticatorKeyAsync(account);
        await users.SetTwoFactorEnabledAsync(account, twoFactor);
        await users.SetPhoneNumberAsync(account, "07700 900" + unique[..3]);
        account = (await users.FindByIdAsync(user.Id.ToString()))!;
        return new Person(
            org,
            user,
            review,
            teamText,
            ownText,
            commentText,
            (await users.GetAuthenticatorKeyAsync(account))!,
            token,
            account.PasswordHash!,
            account.SecurityStamp!
        );
    }

    [Theory, BothDatabases]
    public async Task DownloadYourData_SignedIn_GivesTheirOwnDataAsJsonAndIsAudited(Db db)
    {
        await using var app = new TestApp(db);
        // Without two-factor sign-in, so that the test signs in with a password alone.
        var person = await BusyPersonAsync(app, twoFactor: false);
        var client = await app.SignedInAsync(person.User);
        var page = await client.GetPageAsync("/account/data");
        var auditBefore = await app.AuditAsync();

        var response = await client.SubmitAsync(page, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(
            @"^peisc-your-data-\d{4}-\d{2}-\d{2}\.json$",
            response.Content.Headers.ContentDisposition?.FileNameStar
                ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
        );
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(
            person.User.Email,
            root.GetProperty("Account").GetProperty("Email").GetString()
        );
        Assert.Equal(
            person.User.Name,
            root.GetProperty("Account").GetProperty("DisplayName").GetString()
        );
        Assert.False(root.GetProperty("Account").GetProperty("TwoFactorEnabled").GetBoolean());
        Assert.Equal(
            person.Org.Name,
            root.GetProperty("Memberships")[0].GetProperty("Organisation").GetString()
        );
        Assert.Equal(
            person.OwnText,
            root.GetProperty("IndividualReflections")[0].GetProperty("Reasoning").GetString()
        );
        Assert.Equal(
            person.CommentText,
            root.GetProperty("Comments")[0].GetProperty("Body").GetString()
        );
        Assert.Equal(
            person.TeamText,
            root.GetProperty("AnswersSaved")[0].GetProperty("Reasoning").GetString()
        );
        Assert.Single(root.GetProperty("AccessTokens").EnumerateArray());
        Assert.True(root.GetProperty("Sessions").GetArrayLength() >= 2);
        Assert.True(root.GetProperty("AuditTrail").GetArrayLength() >= 3);
        var text = root.GetRawText();
        // Secrets are not personal data to hand out: never the token, password hash or TOTP key.
        foreach (
            var secret in new[]
            {
                person.Token,
                person.PasswordHash,
                person.TotpKey,
                person.Org.Owner.Email,
            }
        )
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        var added = (await app.AuditAsync()).Skip(auditBefore.Count).ToList();
        var row = Assert.Single(added);
        Assert.Equal(AuditActions.PersonalDataExported, row.Action);
        Assert.Equal(person.User.Id, row.ActorUserId);
        Assert.Equal(person.Org.Id, row.OrganisationId);
    }

    [Theory, BothDatabases]
    public async Task PeopleErase_BusyPerson_LeavesNoneOfTheirDataInAnyColumn(Db db)
    {
        await using var app = new TestApp(db);
        var person = await BusyPersonAsync(app);
        var needles = new[]
        {
            person.User.Email,
            person.User.Name,
            person.User.Id.ToString(),
            person.OwnText,
            person.TotpKey,
            person.PasswordHash,
            person.SecurityStamp,
            "07700 900",
        };
        // What is stored of their sessions and token (the token itself never is).
        var sessions = await app.QueryAsync(d =>
            d.UserSessions.Where(s => s.UserId == person.User.Id)
                .Select(s => s.Id.ToString())
                .ToListAsync()
        );
        var tokens = await app.QueryAsync(d =>
            d.AccessTokens.Where(t => t.UserId == person.User.Id)
                .Select(t => new { t.TokenHash, t.Prefix })
                .SingleAsync()
        );
        Assert.NotEmpty(sessions);
        Assert.StartsWith(tokens.Prefix, person.Token, StringComparison.Ordinal);
        needles = [.. needles, .. sessions, tokens.TokenHash, tokens.Prefix];
        var before = await app.ScanAsync(needles);
        Assert.All(needles, n => Assert.Contains(before.Hits, h => h.Needle == n));

        var (exit, output) = await app.RunCommandAsync("people", "erase", person.User.Email);

        Assert.Equal(0, exit);
        Assert.Contains("audit rows were redacted", output, StringComparison.Ordinal);
        var after = await app.ScanAsync([.. needles, person.Token]);
        Assert.Empty(after.Hits);
        Assert.True(after.Tables >= 25, $"{after.Tables} tables");
        // Team records stay, in the team's words, from a former member.
        var answer = await app.QueryAsync(
            d => d.Answers.SingleAsync(a => a.ItemId == Item),
            person.Org.Id
        );
        Assert.Equal(person.TeamText, answer.Reasoning);
        Assert.Equal(PersonalData.FormerMember, answer.UpdatedByName);
        var comment = await app.QueryAsync(d => d.Comments.SingleAsync(), person.Org.Id);
        Assert.Equal(person.CommentText, comment.Body);
        Assert.Equal(PersonalData.FormerMember, comment.AuthorName);
        Assert.Empty(await app.QueryAsync(d => d.IndividualViews.ToListAsync(), person.Org.Id));
        // The chain still verifies, every redaction accounted for by the erasure's row.
        var erasure = Assert.Single(
            await app.AuditAsync(),
            e => e.Action == AuditActions.PersonErased
        );
        Assert.True(
            int.Parse(erasure.EntityId!, System.Globalization.CultureInfo.InvariantCulture) >= 5
        );
        var (verified, report) = await app.RunCommandAsync("audit", "verify");
        Assert.True(verified == 0, report);
        Assert.Contains(
            await app.AuditAsync(person.Org.Id),
            e => e.Action == "answer.saved" && e.Redacted && e.ActorUserId == null
        );
        Console.WriteLine(
            $"R6 scan ({db}): {after.Tables} tables, {after.Columns} columns, {after.Rows} rows, {after.Cells} cells; {before.Hits.Count} hits before erasure, 0 after"
        );
    }

    [Theory, BothDatabases]
    public async Task PeopleErase_NoSuchEmail_ErasesNothing(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var rows = (await app.AuditAsync()).Count;

        var (exit, output) = await app.RunCommandAsync("people", "erase", "nobody@example.org");

        Assert.Equal(1, exit);
        Assert.Contains("nothing was erased", output, StringComparison.Ordinal);
        Assert.Equal(rows, (await app.AuditAsync()).Count);
        Assert.Equal(4, await app.QueryAsync(d => d.Memberships.CountAsync(), org.Id));
    }

    [Theory, BothDatabases]
    public async Task WithdrawContribution_ByItsContributor_LeavesNoneOfItInAnyColumn(Db db)
    {
        await using var app = new TestApp(db);
        var org = await app.CreateOrganisationAsync();
        var review = await app.CreateReviewAsync(org);
        var (invitation, _) = await app.InviteVoicesAsync(org, review.Id);
        var unique = Guid.NewGuid().ToString("N")[..10];
        var name = "Kit Voice" + unique;
        var words = "VOICE-TEXT-" + unique;
        var (_, withdrawKey) = (
            await app.AsMemberAsync(
                org,
                org.Owner,
                sp =>
                    sp.GetRequiredService<VoiceService>()
                        .SubmitAsync(
                            invitation,
                            name,
                            new Dictionary<string, string> { ["human-rights.process.1"] = words }
                        )
            )
        )!.Value;
        var before = await app.ScanAsync([name, words]);
        Assert.Contains(before.Hits, h => h.Needle == name);
        Assert.Contains(before.Hits, h => h.Needle == words);

        await app.AsMemberAsync(
            org,
            org.Owner,
            async sp =>
            {
                var voices = sp.GetRequiredService<VoiceService>();
                var found = await voices.FindContributionAsync(invitation, withdrawKey);
                await voices.WithdrawAsync(found!);
                return 0;
            }
        );

        var after = await app.ScanAsync([name, words]);
        Assert.Empty(after.Hits);
        Assert.Empty(await app.QueryAsync(d => d.VoiceResponses.ToListAsync(), org.Id));
    }
}
