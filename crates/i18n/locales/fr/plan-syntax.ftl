## La lecture d'un plan : ses octets, sa syntaxe TOML, les types de ses
## valeurs, ses clés et les petites valeurs qu'on y écrit (durées,
## planifications, identifiants, emplacements, références de secrets).
## Chaque message a son jumeau anglais dans ../en/plan-syntax.ftl, avec les
## mêmes variables. Les mots à écrire dans le plan restent tels quels.

plan-not-utf8 = {$line}:{$column} : le plan n'est pas du texte UTF-8 (octet 0x{$byte} à cet endroit) ; enregistrez le fichier en UTF-8 (dans la plupart des éditeurs : « Enregistrer avec l'encodage », UTF-8)
# $why : l'explication de l'analyseur TOML (en anglais).
plan-toml-syntax = syntaxe TOML incorrecte : {$why}
plan-toml-syntax-hint = corrigez d'abord la syntaxe TOML ; voir https://toml.io

## Types : ce qu'est une valeur, et ce qu'elle devrait être

# $expected et $found : l'une des expressions ci-dessous.
plan-wrong-type = `{$field}` doit être {$expected}, trouvé {$found}
plan-type-string = une chaîne
plan-type-integer = un entier
plan-type-float = un nombre décimal
plan-type-boolean = un booléen
plan-type-datetime = une date-heure
plan-type-array = une liste
plan-type-table = une table
plan-expected-boolean = un booléen (true ou false)
plan-expected-number = un nombre
plan-expected-percent = un pourcentage comme 99.5
plan-expected-id = un identifiant (une chaîne)
plan-expected-duration = une durée comme « 15m » ou « 4h »
plan-expected-schedule = une planification comme « every 1h » ou « 0 2 * * * »
plan-expected-location = un répertoire ou s3://bucket/prefix
plan-expected-secret-ref = une référence de secret : {"{"} secret = "name" {"}"}, {"{"} env = "NAME" {"}"} ou {"{"} file = "path" {"}"}
plan-expected-array-of-tables = une liste de tables : [[{$key}]]
# $what : plan-what-condition, plan-what-step ou plan-what-source.
plan-expected-table-of = une table ({$what})
# $words : les mots qu'un plan peut écrire, chacun entre plan-quoted.
plan-one-of = l'une des valeurs {$words}
plan-quoted = « {$word} »
plan-hint-without-quotes = écrivez {$value} sans guillemets
plan-hint-without-quotes-or-percent = écrivez {$value} sans guillemets ni %
plan-hint-brackets = mettez-la entre crochets : ["…"]
plan-hint-duration-unit = précisez une unité, par ex. « {$number}s », « {$number}m » ou « {$number}h »
plan-out-of-range = `{$field}` = {$value} est hors limites ({$min}..={$max})
# $why : l'un des refus des valeurs, plus bas.
plan-bad-value = `{$field}` : {$why}

## Clés

plan-missing-key-top = la clé obligatoire `{$key}` manque dans le plan
plan-missing-key = la clé obligatoire `{$key}` manque dans `{$table}`
plan-unknown-key-top = clé inconnue `{$key}` au premier niveau du plan
plan-unknown-key = clé inconnue `{$key}` dans `{$table}`
plan-did-you-mean-key = vouliez-vous dire `{$key}` ?
plan-keys-here = les clés possibles ici : {$keys}
plan-unknown-word = `{$field}` = « {$value} » ne fait pas partie des valeurs {$words}
plan-did-you-mean-word = vouliez-vous dire « {$word} » ?
plan-write-one-of = écrivez l'une des valeurs {$words}

## Tables dont la seule clé qu'elles portent dit ce qu'elles font
## (les trois noms sont féminins : « cette {$what} »)

plan-what-condition = condition
plan-what-step = étape
plan-what-source = source
plan-kind-none = cette {$what} n'a aucune des clés qui disent ce qu'elle fait : {$keys}
plan-kind-add = ajoutez l'une des clés {$keys}
plan-kind-both = cette {$what} a à la fois `{$first}` et `{$second}` ; elle doit faire exactement une chose
plan-kind-split = séparez-la en deux, ou gardez une seule des clés {$keys}

## Secrets

plan-inline-secret = `{$field}` est un secret écrit en clair dans le plan ; les secrets ne s'écrivent que par référence
plan-inline-secret-hint = rangez-le chiffré avec `rempart secret set {$secret}` et écrivez {$field} = {"{"} secret = "{$secret}" {"}"} ; ou (plans sur le serveur uniquement) une variable d'environnement : {$field} = {"{"} env = "{$var}" {"}"}, ou un fichier lisible seulement par Rempart : {$field} = {"{"} file = "/etc/rempart/secrets/{$field}" {"}"}
plan-bad-env-name = « {$name} » n'est pas un nom de variable d'environnement
plan-bad-env-name-hint = utilisez des lettres, des chiffres et « _ », sans commencer par un chiffre, par ex. {"{"} env = "ERP_DB_PASSWORD" {"}"}
plan-empty-secret-file = le chemin du fichier du secret est vide
plan-secret-name = « {$name} » n'est pas un nom de secret : de 1 à {$max} lettres ASCII, chiffres, « - », « _ » ou « . », commençant par une lettre ou un chiffre
plan-bad-secret-name-hint = par ex. {"{"} secret = "nas-password" {"}"}, défini avec `rempart secret set nas-password`
plan-secret-ref-one = `{$field}` doit indiquer exactement une clé parmi env, file et secret
plan-secret-ref-one-hint = par ex. {"{"} secret = "name" {"}"} (rangé chiffré : rempart secret set), {"{"} env = "NAME" {"}"} ou {"{"} file = "/etc/rempart/secret" {"}"}

## Valeurs : identifiants, durées, planifications, emplacements, chemins JSON

plan-id-empty = un identifiant ne peut pas être vide
plan-id-too-long = un identifiant a au plus {$max} caractères
plan-id-chars = un identifiant s'écrit avec des lettres ASCII, des chiffres, « - », « _ » et « . », et commence par une lettre ou un chiffre
plan-duration-how = écrivez un nombre suivi d'une unité : ms, s, m, h, d ou w (par ex. « 90s », « 15m », « 4h », « 2d », « 1h30m »)
# $how : plan-duration-how.
plan-duration-empty = durée vide ; {$how}
plan-duration-not = « {$text} » n'est pas une durée ; {$how}
plan-duration-no-unit = « {$text} » a un nombre sans unité ; {$how}
plan-duration-too-large = la durée « {$text} » est trop grande
plan-duration-over-100-years = la durée « {$text} » dépasse 100 ans, le maximum qu'un plan peut écrire
plan-schedule-in = dans « {$schedule} » : {$why}
plan-schedule-every-zero = « every 0s » ne finit jamais ; donnez un intervalle positif
plan-schedule-fields = « {$text} » n'est ni « every <durée> » ni un motif cron à cinq champs (minute heure jour-du-mois mois jour-de-la-semaine) ; il a { $fields ->
        [one] { $fields } champ
       *[other] { $fields } champs
    }
# $why : l'explication de l'analyseur cron (en anglais).
plan-schedule-cron = « {$text} » n'est pas un motif cron valide : {$why}
plan-location-empty = emplacement vide ; donnez un répertoire ou s3://bucket/prefix
plan-location-scheme = schéma d'emplacement « {$scheme}:// » non pris en charge ; Rempart range les sauvegardes dans un répertoire local ou dans s3://bucket/prefix
plan-location-bucket = « {$bucket} » n'est pas un nom de bucket S3 valide : de 3 à 63 lettres minuscules, chiffres, « . » ou « - », commençant et finissant par une lettre ou un chiffre
plan-json-path = « {$path} » n'est pas un chemin JSON : {$why} (par ex. « $.status.db » ou « items[0].id »)
plan-json-path-empty-name = un nom vide
plan-json-path-index-number = un indice est un nombre entre crochets
plan-json-path-unclosed = un `[` n'est pas fermé
plan-json-path-empty-index = un indice vide
plan-json-path-unopened = un `]` sans son `[`
plan-json-path-name-after-index = un nom après un indice doit être précédé d'un `.`
plan-json-path-nothing = il ne désigne rien

## Fichiers que nomme le plan

# $why : l'explication du système (en anglais).
plan-ca-unreadable = impossible de lire {$path} : {$why}
plan-ca-not-pem = {$path} ne contient aucun certificat PEM
plan-ca-unusable = `ca` de la sonde « {$monitor} » : {$problem} ; elle restera en panne tant que ce n'est pas corrigé
plan-ca-unusable-hint = donnez le certificat de l'autorité de certification (CA) dans un fichier PEM, relatif au dossier du plan
