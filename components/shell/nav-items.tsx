import type { ReactNode } from "react";
import {
  AgentsIcon,
  AuditIcon,
  ConversionsIcon,
  ExplorerIcon,
  NetworksIcon,
  ProfilesIcon,
  SoftwareIcon,
  TerminalIcon,
  UsersIcon,
} from "@/components/ui/icons";
import { LayersIcon } from "@/components/config/layers-icon";
import { DashboardIcon } from "@/components/dashboard/dashboard-icon";

export type NavItem = { href: string; label: string; icon: ReactNode };

export const mainNav: readonly NavItem[] = [
  { href: "/", label: "Dashboard", icon: <DashboardIcon /> },
  { href: "/conversions", label: "Conversions", icon: <ConversionsIcon /> },
  { href: "/configuration", label: "Configuration", icon: <LayersIcon /> },
  { href: "/profiles", label: "Profiles", icon: <ProfilesIcon /> },
  { href: "/networks", label: "Networks", icon: <NetworksIcon /> },
  { href: "/software", label: "Software", icon: <SoftwareIcon /> },
  { href: "/explorer", label: "Explorer", icon: <ExplorerIcon /> },
  { href: "/agents", label: "Agents", icon: <AgentsIcon /> },
  { href: "/settings/tokens", label: "API tokens", icon: <TerminalIcon /> },
];

export const adminNav: readonly NavItem[] = [
  { href: "/audit", label: "Audit", icon: <AuditIcon /> },
  { href: "/users", label: "Users", icon: <UsersIcon /> },
];
