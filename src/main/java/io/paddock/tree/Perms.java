package io.paddock.tree;

/** ZooKeeper's permission bits. */
public final class Perms {
    public static final int READ = 1;
    public static final int WRITE = 1 << 1;
    public static final int CREATE = 1 << 2;
    public static final int DELETE = 1 << 3;
    public static final int ADMIN = 1 << 4;
    public static final int ALL = READ | WRITE | CREATE | DELETE | ADMIN;

    private Perms() {
    }

    /** Parses zkCli's letters ("crwda", any order) into bits; -1 when a letter is unknown. */
    public static int parse(String letters) {
        int perms = 0;
        for (char c : letters.toCharArray()) {
            switch (c) {
                case 'c', 'C' -> perms |= CREATE;
                case 'r', 'R' -> perms |= READ;
                case 'w', 'W' -> perms |= WRITE;
                case 'd', 'D' -> perms |= DELETE;
                case 'a', 'A' -> perms |= ADMIN;
                default -> {
                    return -1;
                }
            }
        }
        return perms;
    }

    /** zkCli's letters for the bits, in its order: c, d, r, w, a. */
    public static String letters(int perms) {
        StringBuilder sb = new StringBuilder();
        if ((perms & CREATE) != 0) sb.append('c');
        if ((perms & DELETE) != 0) sb.append('d');
        if ((perms & READ) != 0) sb.append('r');
        if ((perms & WRITE) != 0) sb.append('w');
        if ((perms & ADMIN) != 0) sb.append('a');
        return sb.toString();
    }
}
