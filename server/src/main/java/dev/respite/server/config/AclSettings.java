package dev.respite.server.config;

import java.util.ArrayList;
import java.util.List;

/** ACL directives: aclfile, acllog-max-len, and the {@code user} lines of redis.conf. */
public final class AclSettings {
    public String aclfile = "";
    public int acllogMaxLen = 128;
    /** acl-pubsub-default: whether new users (and ACL SETUSER reset) start with access to every channel. */
    public boolean allChannelsByDefault;
    /** Each {@code user <name> <rules...>} line of the configuration, without the word "user". */
    public final List<List<String>> userLines = new ArrayList<>();

    AclSettings(ServerConfig config) {
        config.stringParam(
                "aclfile", false, () -> aclfile, v -> aclfile = v, "File of ACL users for ACL LOAD and ACL SAVE.");
        config.intParam(
                "acllog-max-len",
                true,
                () -> acllogMaxLen,
                v -> acllogMaxLen = v,
                0,
                Integer.MAX_VALUE,
                "Entries kept by ACL LOG.");
        config.enumParam(
                "acl-pubsub-default",
                true,
                () -> allChannelsByDefault ? "allchannels" : "resetchannels",
                v -> allChannelsByDefault = v.equals("allchannels"),
                List.of("allchannels", "resetchannels"),
                "Channel access of new users: allchannels or resetchannels.");
    }
}
