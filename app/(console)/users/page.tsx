import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { ROLE_DESCRIPTION, ROLES } from "@/server/auth/roles";
import { db } from "@/server/db/client";
import { pageActor } from "@/server/http/page-guard";
import { listUsers } from "@/server/users/list-users";
import { CreateUserForm } from "./create-user-form";
import { RevokeSessionsForm } from "./revoke-sessions-form";
import { RoleForm } from "./role-form";

export const metadata: Metadata = { title: "Users" };

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function UsersPage() {
  const actor = await pageActor("user:read");
  const users = await listUsers(db());
  return (
    <div className="space-y-6">
      <PageHeader title="Users" description="Who can use the console, and with which role. Only admins see this page." />
      <div className="grid items-start gap-6 2xl:grid-cols-[minmax(0,1fr)_24rem]">
        <Card>
          <CardHeader title={`${users.length} ${users.length === 1 ? "user" : "users"}`} description="Changing a role ends that user's live connections; their next page load uses the new role. Signing a user out everywhere ends all their sessions at once." />
          <Table framed={false}>
            <THead>
              <TR>
                <TH>Name</TH>
                <TH>Email</TH>
                <TH>Role</TH>
                <TH>Created (UTC)</TH>
                <TH>Last active (UTC)</TH>
                <TH>Sessions</TH>
              </TR>
            </THead>
            <TBody>
              {users.map((u) => (
                <TR key={u.id}>
                  <TD>
                    {u.name} {u.id === actor.id ? <Badge tone="accent">you</Badge> : null}
                  </TD>
                  <TD>{u.email}</TD>
                  <TD>
                    <RoleForm userId={u.id} email={u.email} role={u.role} />
                  </TD>
                  <TD>{when.format(u.createdAt)}</TD>
                  <TD>{u.sessions[0] ? when.format(u.sessions[0].updatedAt) : <span className="text-fg-subtle">never signed in</span>}</TD>
                  <TD>
                    <RevokeSessionsForm userId={u.id} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
        <Card>
          <CardHeader title="Add a user" description="They sign in with this email and the initial password you give them." />
          <CreateUserForm roles={ROLES.map((r) => ({ value: r, description: ROLE_DESCRIPTION[r] }))} />
        </Card>
      </div>
    </div>
  );
}
