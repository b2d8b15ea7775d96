using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Peisc.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OneParticipantPerMember : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Before the index, two first answers sent at once could make two participants of one
            // member, after which the session failed for them. Their first join is kept; the later
            // one, and anything sent through it in that moment, goes.
            migrationBuilder.Sql(
                """
                DELETE FROM "WorkshopSubmissions" WHERE "ParticipantId" IN (
                    SELECT later."Id" FROM "WorkshopParticipants" AS later
                    JOIN "WorkshopParticipants" AS first
                      ON first."SessionId" = later."SessionId" AND first."UserId" = later."UserId"
                     AND (first."JoinedAt" < later."JoinedAt"
                          OR (first."JoinedAt" = later."JoinedAt" AND first."Id" < later."Id")));
                DELETE FROM "WorkshopParticipants" WHERE "Id" IN (
                    SELECT later."Id" FROM "WorkshopParticipants" AS later
                    JOIN "WorkshopParticipants" AS first
                      ON first."SessionId" = later."SessionId" AND first."UserId" = later."UserId"
                     AND (first."JoinedAt" < later."JoinedAt"
                          OR (first."JoinedAt" = later."JoinedAt" AND first."Id" < later."Id")));
                """
            );

            migrationBuilder.DropIndex(
                name: "IX_WorkshopParticipants_SessionId_UserId",
                table: "WorkshopParticipants");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopParticipants_SessionId_UserId",
                table: "WorkshopParticipants",
                columns: new[] { "SessionId", "UserId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkshopParticipants_SessionId_UserId",
                table: "WorkshopParticipants");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopParticipants_SessionId_UserId",
                table: "WorkshopParticipants",
                columns: new[] { "SessionId", "UserId" });
        }
    }
}
